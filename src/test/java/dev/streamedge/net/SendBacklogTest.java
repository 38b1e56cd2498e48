package dev.streamedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.transport.Transport;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The backlog of a real socket whose peer stops reading: on epoll and io_uring, every byte written is either in the
 * peer's receive buffer (acknowledged, so delivered as far as TCP tells) or counted; on NIO only Netty's
 * outbound buffer is.
 */
@Tag("e2e")
@Tag("timing")
class SendBacklogTest {

  private static final int CHUNK = 64 * 1024;
  private static final int CHUNKS = 48;
  private static final long WRITTEN = (long) CHUNK * CHUNKS;
  /** Netty counts each entry of its outbound buffer with this much overhead (ChannelOutboundBuffer). */
  private static final long ENTRY_OVERHEAD = 96;

  @Test
  void onEpollWhatThePeerDidNotTakeIsCountedToTheByteIncludingTheKernelSendBuffer() throws Exception {
    kernelBytesAreCounted(Transport.EPOLL, "epoll");
  }

  @Test
  void onIoUringWhatThePeerDidNotTakeIsCountedToTheByteIncludingTheKernelSendBuffer() throws Exception {
    kernelBytesAreCounted(Transport.IO_URING, "io_uring");
  }

  private static void kernelBytesAreCounted(Transport transport, String name) throws Exception {
    assertThat(transport.available()).as("%s on this machine: %s", transport.name(), transport.unavailabilityCause())
        .isTrue();
    Vertx vertx = Vertx.builder().withTransport(transport).build();
    try {
      assertThat(Transports.name(vertx)).isEqualTo(name);
      try (Peer peer = Peer.connect(vertx)) {
        assertThat(peer.onLoop(peer.backlog::countsKernel)).isTrue();
        peer.writeAll();
        // Settled: the peer's receive window is closed, nothing is in flight.
        Await.until("a settled backlog", Duration.ofSeconds(10), () -> {
          long counted = peer.onLoop(peer.backlog::bytes) + peer.client.getInputStream().available();
          return counted >= WRITTEN && counted <= WRITTEN + CHUNKS * ENTRY_OVERHEAD;
        });

        long backlog = peer.onLoop(peer.backlog::bytes);
        long taken = peer.client.getInputStream().available();
        long netty = peer.onLoop(peer::nettyPending);
        assertThat(backlog + taken).isBetween(WRITTEN, WRITTEN + CHUNKS * ENTRY_OVERHEAD);
        assertThat(backlog - netty).as("bytes the kernel holds").isGreaterThan(256 * 1024);

        peer.readAll(WRITTEN);
        Await.until("an empty backlog", Duration.ofSeconds(10), () -> peer.onLoop(peer.backlog::bytes) == 0);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void onNioOnlyNettysOutboundBufferIsCounted() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    try {
      try (Peer peer = Peer.connect(vertx)) {
        assertThat(peer.onLoop(peer.backlog::countsKernel)).isFalse();
        peer.writeAll();
        Thread.sleep(500);
        assertThat(peer.onLoop(peer.backlog::bytes)).isEqualTo(peer.onLoop(peer::nettyPending));
        assertThat(peer.onLoop(peer.backlog::bytes) + peer.client.getInputStream().available())
            .as("the kernel's part is not seen").isLessThan(WRITTEN);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** A server socket and its client, which reads nothing until told. */
  private static final class Peer implements AutoCloseable {
    final NetServer server;
    final Socket client;
    final NetSocket socket;
    final Context context;
    final SendBacklog backlog;

    private Peer(NetServer server, Socket client, NetSocket socket, Context context) {
      this.server = server;
      this.client = client;
      this.socket = socket;
      this.context = context;
      this.backlog = SendBacklog.of(socket);
    }

    static Peer connect(Vertx vertx) throws Exception {
      CompletableFuture<NetSocket> accepted = new CompletableFuture<>();
      CompletableFuture<Context> contextOf = new CompletableFuture<>();
      NetServer server = vertx.createNetServer().connectHandler(s -> {
        contextOf.complete(Vertx.currentContext());
        accepted.complete(s);
      });
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Socket client = new Socket();
      client.setReceiveBufferSize(32 * 1024);
      client.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), 5000);
      NetSocket socket = accepted.get(10, TimeUnit.SECONDS);
      return new Peer(server, client, socket, contextOf.get(10, TimeUnit.SECONDS));
    }

    void writeAll() throws Exception {
      onLoop(() -> {
        for (int i = 0; i < CHUNKS; i++) {
          socket.write(Buffer.buffer(new byte[CHUNK]));
        }
        return null;
      });
    }

    long nettyPending() {
      Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
      ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
      return outbound == null ? 0 : outbound.totalPendingWriteBytes();
    }

    void readAll(long bytes) throws Exception {
      InputStream in = client.getInputStream();
      client.setSoTimeout(10_000);
      byte[] buffer = new byte[CHUNK];
      long read = 0;
      while (read < bytes) {
        int n = in.read(buffer);
        assertThat(n).isPositive();
        read += n;
      }
    }

    <T> T onLoop(Callable<T> call) throws Exception {
      CompletableFuture<T> result = new CompletableFuture<>();
      context.runOnContext(v -> {
        try {
          result.complete(call.call());
        } catch (Exception e) {
          result.completeExceptionally(e);
        }
      });
      return result.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
      client.close();
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
