package dev.streamedge.rtmp.server;

import dev.streamedge.net.CipherLayer;
import dev.streamedge.net.EventLoopSocket;
import dev.streamedge.net.LoopFlushes;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.net.WriteMerger;
import dev.streamedge.session.Protocol;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * RTMP and RTMPS: a server connection written on its own event loop only ({@link EventLoopSocket}),
 * whose media goes through a {@link WriteMerger} (one flush per event-loop turn) and whose backlog
 * counts what the kernel holds ({@link dev.streamedge.net.SendBacklog}).
 */
final class TcpTransport implements RtmpTransport {

  private final EventLoopSocket socket;
  private final int writeQueueMaxSize;
  private final Protocol protocol;
  private final String peer;
  private final String address;
  private final LoopFlushes flushes;
  private final Duration closeGrace;
  private WriteMerger merger;

  /**
   * {@code writeQueueMaxSize}: bytes in the socket's write queue beyond which it is {@link #full()};
   * {@code closeGrace}: how long a closed connection's client has to read what is still on its way;
   * {@code flushes}: the media flushes of the socket's event loop; {@code address}: the peer's IP address.
   */
  TcpTransport(EventLoopSocket socket, String address, int writeQueueMaxSize, Duration closeGrace, LoopFlushes flushes) {
    this.socket = socket;
    this.closeGrace = closeGrace;
    this.writeQueueMaxSize = writeQueueMaxSize;
    this.flushes = flushes;
    this.protocol = socket.isSsl() ? Protocol.RTMPS : Protocol.RTMP;
    this.peer = String.valueOf(socket.remoteAddress());
    this.address = address;
  }

  @Override
  public void start(Listener listener) {
    socket.setWriteQueueMaxSize(writeQueueMaxSize);
    socket.handler(listener::data);
    socket.closeHandler(v -> listener.closed());
    socket.shutdownHandler(v -> listener.draining());
    socket.exceptionHandler(e -> listener.failed("socket error: " + e.getMessage()));
    merger = WriteMerger.install(socket, listener::writable, flushes);
  }

  @Override
  public Protocol protocol() {
    return protocol;
  }

  @Override
  public String peer() {
    return peer;
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public void write(Buffer bytes) {
    socket.write(bytes);
  }

  @Override
  public void writeMedia(Buffer media) {
    merger.write(WireBuffers.forWrite(media));
  }

  @Override
  public boolean full() {
    return merger.full();
  }

  @Override
  public long unackedBytes() {
    return merger.unackedBytes();
  }

  @Override
  public boolean canEncrypt() {
    return !socket.isSsl();
  }

  @Override
  public void encrypt(CipherLayer.Keystream decrypt, long plainIn, CipherLayer.Keystream encrypt, long plainOut) {
    CipherLayer.install(socket, decrypt, plainIn, encrypt, plainOut);
  }

  @Override
  public void end() {
    // A connection's close flushes what was written first, as NetSocket's end() does.
    socket.close();
  }

  @Override
  public void close() {
    socket.close();
    if (merger != null) {
      // Vert.x's close waits until what it queued is written, which a client that reads nothing never lets
      // happen: without this its socket and buffers would stay after the connection is gone.
      merger.closeWithin(closeGrace);
    }
  }
}
