package dev.streamedge.rtmp.server;

import dev.streamedge.media.MediaKind;
import dev.streamedge.metrics.PlayerMeters;
import dev.streamedge.rtmp.amf.Amf0;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.UserControl;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one connection sends: protocol control, user control, command results and statuses, and media,
 * through its {@link RtmpTransport}, counted in its bytes out and its protocol's player meters. Writes
 * nothing once the connection closed. Lives on the connection's context.
 */
final class ConnectionWriter {

  private final RtmpTransport transport;
  /** The meters of the connection's protocol: RTMPE replaces them at the first byte. */
  private PlayerMeters meters;
  private int chunkSize = 128;
  private long bytesOut;
  /**
   * Bytes sent and not yet added to the protocol's meter: added at the connection's tick ({@link #meter()},
   * every 250 ms, so the meter lags by that much at most), at close and before the meters change; the
   * connection's first bytes at once, so that a new connection shows in the meter from its first write.
   * The meter is one counter every event loop adds to, and an add per media write had its cache line move
   * between cores at each one (bench/RESULTS.md).
   */
  private long unmetered;
  private boolean closed;

  ConnectionWriter(RtmpTransport transport, PlayerMeters meters) {
    this.transport = transport;
    this.meters = meters;
  }

  PlayerMeters meters() {
    return meters;
  }

  void meters(PlayerMeters meters) {
    meter();
    this.meters = meters;
  }

  /** Whether the transport holds as much as it should until it drains (see {@link RtmpTransport#full}). */
  boolean full() {
    return transport.full();
  }

  /** Bytes written that the peer has not acknowledged; on TCP a system call, asked rarely. */
  long unackedBytes() {
    return transport.unackedBytes();
  }

  /** Nothing is written after this. */
  void close() {
    closed = true;
    meter();
  }

  long bytesOut() {
    return bytesOut;
  }

  /** The size of the chunks this connection sends; 128 until {@link #announceChunkSize}. */
  int chunkSize() {
    return chunkSize;
  }

  /**
   * Sends Set Chunk Size once, if {@code size} is not the size in use, and uses it from then on: at
   * connect, or on RTMPE at the first play, before any media; until then we send 128-byte chunks.
   * ffmpeg's RTMPE publisher echoes a Set Chunk Size back through its in-place RC4 and then reads the
   * new size from the encrypted bytes (libavformat's handle_chunk_size), so it must never get one;
   * players take it without an echo.
   */
  void announceChunkSize(int size) {
    if (chunkSize != size) {
      control(MessageType.SET_CHUNK_SIZE, RtmpWire.int32(size));
      chunkSize = size;
    }
  }

  /** Encodes media for this connection alone, on a message stream other than the first. */
  Buffer encodeMedia(MediaKind kind, long timestamp, ByteBuf body, int streamId) {
    return RtmpWire.encodeMedia(kind, timestamp, body, streamId, chunkSize);
  }

  /** Media chunks, sent with the rest of this event-loop turn's writes (see {@link RtmpTransport#writeMedia}). */
  void writeMedia(Buffer media) {
    if (closed) {
      return;
    }
    transport.writeMedia(media);
    sent(media.length());
  }

  void streamBegin(int streamId) {
    control(MessageType.USER_CONTROL, RtmpWire.userControl(UserControl.STREAM_BEGIN, streamId));
  }

  void streamEof(int streamId) {
    control(MessageType.USER_CONTROL, RtmpWire.userControl(UserControl.STREAM_EOF, streamId));
  }

  void status(int streamId, String level, String code, String description) {
    command(streamId, "onStatus", 0.0, null, status(level, code, description));
  }

  /** An {@code _result} for a command that asked for one (a transaction id other than 0). */
  void result(double tx, Object commandObject, Object value) {
    if (tx != 0) {
      command(0, "_result", tx, commandObject, value);
    }
  }

  /** An {@code _error} on the NetConnection, to the command of transaction {@code tx}. */
  void error(double tx, String code, String description) {
    command(0, "_error", tx, null, status("error", code, description));
  }

  void command(int streamId, Object... values) {
    int csid = streamId == 0 ? RtmpWire.CSID_COMMAND : RtmpWire.CSID_STREAM_DATA;
    send(RtmpWire.encode(csid, MessageType.COMMAND_AMF0, streamId, 0, Amf0.encodeAll(values), chunkSize));
  }

  void data(int streamId, Object... values) {
    send(RtmpWire.encode(RtmpWire.CSID_STREAM_DATA, MessageType.DATA_AMF0, streamId, 0, Amf0.encodeAll(values),
        chunkSize));
  }

  void control(int type, ByteBuf payload) {
    send(RtmpWire.encode(RtmpWire.CSID_CONTROL, type, 0, 0, payload, chunkSize));
  }

  void send(Buffer buffer) {
    if (!closed) {
      transport.write(buffer);
      sent(buffer.length());
    }
  }

  private void sent(int bytes) {
    bytesOut += bytes;
    unmetered += bytes;
    if (unmetered == bytesOut) {
      meter();
    }
  }

  /** Adds what was sent since the last time to the protocol's meter. */
  void meter() {
    if (unmetered > 0) {
      meters.sent(unmetered);
      unmetered = 0;
    }
  }

  /** The info object of an {@code onStatus} or {@code _result}: level, code, description, in that order. */
  static Map<String, Object> status(String level, String code, String description) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("level", level);
    info.put("code", code);
    info.put("description", description);
    return info;
  }
}
