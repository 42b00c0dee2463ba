package dev.cinder.endpoint;

/** The Netty I/O transport of an endpoint. */
public enum IoTransport {
  /** Epoll on Linux, else NIO: the default, chosen by measurement (docs/benchmarks.md). */
  AUTO,
  /** Linux epoll. */
  EPOLL,
  /** Linux io_uring (fewer system calls per write batch; needs a kernel that allows it). */
  IO_URING,
  /** Java NIO, available everywhere. */
  NIO
}
