package dev.cinder.internal.socket;

import dev.cinder.internal.channel.Connection;
import dev.cinder.internal.serializer.Frame;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The transport boundary in memory: records every frame sent and every close requested. */
final class RecordingConnection implements Connection {
  private final List<Frame> frames = new CopyOnWriteArrayList<>();
  private final List<Integer> closeCodes = new CopyOnWriteArrayList<>();

  @Override
  public String transport() {
    return "recording";
  }

  @Override
  public void send(Frame frame) {
    frames.add(frame);
  }

  @Override
  public void close(int code, String reason) {
    closeCodes.add(code);
  }

  List<Frame> frames() {
    return List.copyOf(frames);
  }

  /** The text frames, in the order they were sent. */
  List<String> texts() {
    return frames.stream().map(Frame::text).toList();
  }

  List<Integer> closeCodes() {
    return List.copyOf(closeCodes);
  }
}
