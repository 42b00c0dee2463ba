package dev.cinder.bench.soak;

/**
 * One client session's transport: a WebSocket, or a long-poll session. Every method runs on the client's I/O
 * thread, and so does every call back to its {@link Link}.
 */
interface SoakTransport {
  /** Connects and, for long-poll, does the handshake; then {@link Link#opened}, or {@link Link#ended} if it failed. */
  void open();

  /** Sends one V2 text message. */
  void send(String text);

  /** Ends the session politely: a WebSocket close (1000), or long-poll polling stops (the server ends the session). */
  void close();

  /** Drops the connection without a goodbye: a TCP reset on a WebSocket; long-poll just stops, as {@link #close}. */
  void abort();

  /** What a transport tells its client. */
  interface Link {
    void opened(SoakTransport transport);

    /** One message from the server, exactly the text a frame (or a long-poll string) carried. */
    void text(SoakTransport transport, byte[] text);

    /** The session is over: called once, whoever ended it. */
    void ended(SoakTransport transport, Ending ending);

    /** Something a correct server never does, seen at the transport level. */
    void problem(String kind, String detail);

    /** Where the transport counts what it notices. */
    SoakStats stats();
  }

  /**
   * How a session ended. {@code byUs}: this client asked for it (close, abort, stopped polling). {@code code}: the
   * WebSocket close code the server sent (1006 when none came), 0 for long-poll.
   */
  record Ending(boolean byUs, int code, String why) {}
}
