package dev.streamedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A connection taken over from a NetServer's socket behaves as the socket did for what the RTMP
 * server uses: reads arrive in order on its context, writes and the flushing close reach the peer, a
 * graceful shutdown asks it to end and leaves it open until it does, and the peer's close is told.
 * The peer is a Vert.x client over loopback TCP.
 */
@Tag("unit")
class EventLoopSocketTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void readsArriveInOrderOnTheContextAndWritesAndTheCloseReachThePeer() throws Exception {
    CompletableFuture<EventLoopSocket> adopted = new CompletableFuture<>();
    CompletableFuture<Boolean> onContext = new CompletableFuture<>();
    Buffer received = Buffer.buffer();
    int total = 200_000;
    NetServer server = listen(socket -> {
      Context context = Vertx.currentContext();
      EventLoopSocket connection = EventLoopSocket.adopt(socket);
      connection.handler(data -> {
        onContext.complete(Vertx.currentContext() == context && Context.isOnEventLoopThread());
        received.appendBuffer(data);
        if (received.length() == total) {
          // Echo all of it back, then close: the close must flush the echo first.
          connection.write(received.copy());
          connection.close();
        }
      });
      adopted.complete(connection);
    });
    Buffer sent = Buffer.buffer(total);
    for (int i = 0; i < total; i++) {
      sent.appendByte((byte) (i * 31 + (i >> 8)));
    }
    Buffer echoed = Buffer.buffer();
    CompletableFuture<Void> peerClosed = new CompletableFuture<>();
    NetSocket client = connect(server);
    client.handler(echoed::appendBuffer);
    client.closeHandler(v -> peerClosed.complete(null));
    client.write(sent);

    peerClosed.get(10, TimeUnit.SECONDS);
    assertThat(adopted.get(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(onContext.get()).as("read on the accepting context's event loop").isTrue();
    assertThat(echoed.getBytes()).isEqualTo(sent.getBytes());
  }

  @Test
  void aShutdownAsksTheConnectionToEndAndLeavesItOpenUntilItDoes() throws Exception {
    CompletableFuture<EventLoopSocket> adopted = new CompletableFuture<>();
    CompletableFuture<Void> asked = new CompletableFuture<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    NetServer server = listen(socket -> {
      EventLoopSocket connection = EventLoopSocket.adopt(socket);
      connection.shutdownHandler(v -> asked.complete(null));
      connection.closeHandler(v -> closed.complete(null));
      adopted.complete(connection);
    });
    Buffer echoed = Buffer.buffer();
    CompletableFuture<Void> goodbye = new CompletableFuture<>();
    CompletableFuture<Void> peerClosed = new CompletableFuture<>();
    NetSocket client = connect(server);
    client.handler(data -> {
      echoed.appendBuffer(data);
      if (echoed.length() >= 7) {
        goodbye.complete(null);
      }
    });
    client.closeHandler(v -> peerClosed.complete(null));
    EventLoopSocket connection = adopted.get(5, TimeUnit.SECONDS);

    var shutdown = server.shutdown(30, TimeUnit.SECONDS).toCompletionStage().toCompletableFuture();
    asked.get(5, TimeUnit.SECONDS);
    // Still open: what it writes now reaches the peer.
    connection.context().runOnContext(v -> connection.write(Buffer.buffer("goodbye")));
    goodbye.get(5, TimeUnit.SECONDS);
    assertThat(closed).isNotDone();
    assertThat(shutdown).isNotDone();

    connection.context().runOnContext(v -> connection.close());
    closed.get(5, TimeUnit.SECONDS);
    peerClosed.get(5, TimeUnit.SECONDS);
    shutdown.get(5, TimeUnit.SECONDS);
    assertThat(echoed.toString()).isEqualTo("goodbye");
  }

  @Test
  void thePeersCloseIsTold() throws Exception {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    NetServer server = listen(socket -> EventLoopSocket.adopt(socket).closeHandler(v -> closed.complete(null)));
    NetSocket client = connect(server);
    client.close();
    closed.get(5, TimeUnit.SECONDS);
  }

  private NetServer listen(io.vertx.core.Handler<NetSocket> handler) throws Exception {
    CompletableFuture<NetServer> started = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
      server.connectHandler(handler).listen().onComplete(ar -> {
        if (ar.succeeded()) {
          started.complete(ar.result());
        } else {
          started.completeExceptionally(ar.cause());
        }
      });
    });
    return started.get(5, TimeUnit.SECONDS);
  }

  private NetSocket connect(NetServer server) throws Exception {
    return vertx.createNetClient().connect(server.actualPort(), "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
