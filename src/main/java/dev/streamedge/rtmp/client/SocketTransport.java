package dev.streamedge.rtmp.client;

import dev.streamedge.net.CipherLayer;
import dev.streamedge.net.WireBuffers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

/**
 * RTMP, RTMPE and RTMPS: one Vert.x socket, over TLS for {@code rtmps}; RTMPE's RC4 goes on as a
 * {@link CipherLayer} at the head of its pipeline, as on the server.
 */
final class SocketTransport implements ClientTransport {

  private final RtmpUrl url;
  /** One client per connection, closed with it: a NetClient that nothing refers to is closed by the GC. */
  private final NetClient client;
  private final int writeQueueMaxBytes;
  /** Reads decoded from Netty's buffers, not Vert.x's heap copies: the session copies what it keeps. */
  private final boolean uncopiedReads;
  private NetSocket socket;
  private Runnable drainHandler;
  private boolean closed;

  SocketTransport(Vertx vertx, RtmpUrl url, RtmpClientOptions options) {
    this.url = url;
    NetClientOptions network = new NetClientOptions(options.network());
    if (url.variant().tls()) {
      network.setSsl(true);
      if (network.getHostnameVerificationAlgorithm() == null || network.getHostnameVerificationAlgorithm().isEmpty()) {
        // A certificate that does not name the host is refused, as a browser would (RFC 6125).
        network.setHostnameVerificationAlgorithm(network.isTrustAll() ? "" : "HTTPS");
      }
    }
    this.client = vertx.createNetClient(network);
    this.writeQueueMaxBytes = options.maxWriteQueueBytes();
    this.uncopiedReads = options.transientPayloads();
  }

  @Override
  public Future<Void> open(Listener listener) {
    return client.connect(url.port(), url.host())
        .onFailure(e -> client.close())
        .map(connected -> {
          socket = connected;
          socket.setWriteQueueMaxSize(writeQueueMaxBytes);
          socket.drainHandler(v -> {
            if (drainHandler != null) {
              drainHandler.run();
            }
          });
          if (uncopiedReads) {
            WireBuffers.readUncopied(socket, listener::data);
          } else {
            socket.handler(listener::data);
          }
          socket.closeHandler(v -> ended(listener, "connection closed"));
          socket.exceptionHandler(e -> ended(listener, "socket error: " + e.getMessage()));
          return null;
        });
  }

  private void ended(Listener listener, String reason) {
    if (!closed) {
      closed = true;
      client.close();
      listener.closed(reason);
    }
  }

  @Override
  public void write(Buffer bytes) {
    if (!closed && socket != null) {
      socket.write(bytes);
    }
  }

  @Override
  public boolean writeQueueFull() {
    return socket != null && socket.writeQueueFull();
  }

  @Override
  public void drainHandler(Runnable handler) {
    this.drainHandler = handler;
  }

  @Override
  public void encrypt(CipherLayer.Keystream decrypt, long plainIn, CipherLayer.Keystream encrypt, long plainOut) {
    CipherLayer.install(socket, decrypt, plainIn, encrypt, plainOut);
  }

  @Override
  public void pause() {
    if (uncopiedReads) {
      WireBuffers.reading(socket, false);
    } else {
      socket.pause();
    }
  }

  @Override
  public void resume() {
    if (uncopiedReads) {
      WireBuffers.reading(socket, true);
    } else {
      socket.resume();
    }
  }

  @Override
  public Future<Void> close() {
    closed = true;
    return socket == null ? client.close() : socket.close().eventually(client::close);
  }
}
