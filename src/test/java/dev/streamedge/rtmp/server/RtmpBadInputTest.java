package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.handshake.ClientHandshake;
import dev.streamedge.rtmp.handshake.Handshake;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import dev.streamedge.testing.GoodStream;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input closes only the connection that sent it: each case below is closed by the server within a
 * bounded time, the server then serves a new client, and an ffmpeg publisher and player on another key
 * run through all of it and lose nothing (checked frame for frame by the last test).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("e2e")
@Tag("timing")
class RtmpBadInputTest {

  private static final int MAX_MESSAGE_SIZE = 64 * 1024;
  private static final int MAX_CHUNK_SIZE = 64 * 1024;
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);
  /** Well below the handshake timeout: "at once" rather than "when the timer got it". */
  private static final Duration AT_ONCE = Duration.ofMillis(700);
  private static final Duration BOUND = Duration.ofSeconds(5);

  @RegisterExtension
  static final TestNode node = TestNode.extension(
      "--rtmp.handshake-timeout=1s",
      "--rtmp.max-message-size=64KiB",
      "--rtmp.max-chunk-size=" + MAX_CHUNK_SIZE);
  private static GoodStream good;

  @BeforeAll
  static void start() throws Exception {
    good = GoodStream.start(node, "good", TestMedia.audioVideo(12, 2));
  }

  @AfterAll
  static void stop() throws Exception {
    if (good != null) {
      good.close();
    }
  }

  /** After every case: the good clients are unharmed and a new client is served normally. */
  @AfterEach
  void serverStillServesNewClients() throws Exception {
    good.assertNotDisturbed();
    try (RawRtmp fresh = RawRtmp.connected(node.rtmpPort())) {
      fresh.createStream(2.0);
      fresh.pingRoundTrip(12345);
    }
  }

  // ---- handshake ----

  @Test
  void httpRequestOnTheRtmpPortIsClosedAtOnce() throws Exception {
    try (RawRtmp http = RawRtmp.open(node.rtmpPort())) {
      http.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(http.awaitClosedByServer(BOUND)).isLessThan(AT_ONCE);
    }
  }

  @Test
  void fullC0C1WithAWrongOrUnsupportedRtmpeVersionByteIsClosedAtOnce() throws Exception {
    // 6, RTMPE, is served on this port (RtmpeBadHandshakeTest); 8 and 9 sign with XTEA or Blowfish.
    for (int version : new int[] {'G', 8, 9, 0, 0xFF}) {
      try (RawRtmp client = RawRtmp.open(node.rtmpPort())) {
        byte[] c0c1 = ClientHandshake.hello(true, new Random(version));
        c0c1[0] = (byte) version;
        client.write(c0c1);
        assertThat(client.awaitClosedByServer(BOUND)).as("version " + version).isLessThan(AT_ONCE);
      }
    }
  }

  @Test
  void clientThatSendsNothingIsClosedAfterTheHandshakeTimeout() throws Exception {
    double before = refusals("handshake-timeout");
    try (RawRtmp silent = RawRtmp.open(node.rtmpPort())) {
      assertThat(silent.awaitClosedByServer(BOUND))
          .isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT.minusMillis(100)).isLessThan(Duration.ofMillis(3000));
    }
    assertThat(refusals("handshake-timeout")).as("handshake timeouts counted").isEqualTo(before + 1);
  }

  @Test
  void clientThatHandshakesButNeverConnectsIsClosedAfterTheHandshakeTimeout() throws Exception {
    try (RawRtmp client = RawRtmp.open(node.rtmpPort())) {
      long start = System.nanoTime();
      client.handshake();
      client.awaitClosedByServer(BOUND);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT.minusMillis(100)).isLessThan(Duration.ofMillis(3000));
    }
  }

  // ---- chunk stream limits ----

  @Test
  void messageOfExactlyMaxMessageSizeIsAccepted() throws Exception {
    try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
      // Audio on a stream nobody publishes: read whole and dropped. Sent at the default chunk size 128.
      client.send(new RtmpMessage(6, MessageType.AUDIO, 0, 0, filled(MAX_MESSAGE_SIZE)));
      client.pingRoundTrip(1);
      client.setChunkSize(4096, true);
      client.send(new RtmpMessage(6, MessageType.AUDIO, 0, 40, filled(MAX_MESSAGE_SIZE)));
      client.pingRoundTrip(2);
    }
  }

  @Test
  void messageHeaderOneByteOverMaxMessageSizeClosesTheConnection() throws Exception {
    // A type 0 header, then a type 1 header on a chunk stream that already carried a message.
    try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
      client.write(type0Header(6, MAX_MESSAGE_SIZE + 1, MessageType.AUDIO));
      client.write(new byte[100]);
      assertThat(client.awaitClosedByServer(BOUND)).isLessThan(AT_ONCE);
    }
    try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
      client.send(new RtmpMessage(6, MessageType.AUDIO, 0, 0, filled(10)));
      client.pingRoundTrip(3);
      ByteBuf header = Unpooled.buffer().writeByte(1 << 6 | 6).writeMedium(20)
          .writeMedium(MAX_MESSAGE_SIZE + 1).writeByte(MessageType.AUDIO);
      client.write(header);
      assertThat(client.awaitClosedByServer(BOUND)).isLessThan(AT_ONCE);
    }
    // Not even the largest length the field can carry makes the server wait for the payload.
    try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
      client.write(type0Header(6, 0xFFFFFF, MessageType.VIDEO));
      assertThat(client.awaitClosedByServer(BOUND)).isLessThan(AT_ONCE);
    }
  }

  @Test
  void setChunkSizeOfExactlyMaxChunkSizeIsAccepted() throws Exception {
    try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
      client.setChunkSize(MAX_CHUNK_SIZE, true);
      // One chunk of 60000 bytes: read correctly only if the server took the new chunk size.
      client.send(new RtmpMessage(6, MessageType.AUDIO, 0, 0, filled(60_000)));
      client.pingRoundTrip(4);
    }
  }

  @Test
  void setChunkSizeAboveTheLimitZeroOrWithTheTopBitSetClosesTheConnection() throws Exception {
    for (long size : new long[] {MAX_CHUNK_SIZE + 1L, 0, 0x80000000L, 0x80000080L, 0xFFFFFFFFL}) {
      try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
        client.setChunkSize(size, false);
        assertThat(client.awaitClosedByServer(BOUND)).as("set chunk size " + size).isLessThan(AT_ONCE);
      }
    }
  }

  @Test
  void chunkContinuingANeverSeenChunkStreamClosesTheConnection() throws Exception {
    // fmt 3 (and 1, 2) refer to header state of a chunk stream that never had a type 0 chunk.
    for (int fmt : new int[] {3, 1, 2}) {
      try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
        client.write(new byte[] {(byte) (fmt << 6 | 9), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThat(client.awaitClosedByServer(BOUND)).as("fmt " + fmt).isLessThan(AT_ONCE);
      }
    }
  }

  @Test
  void aggregateNestedInAnAggregateClosesTheConnection() throws Exception {
    // Nested as deep as max-message-size allows: one message that is 4369 aggregates deep.
    for (int length : new int[] {30, MAX_MESSAGE_SIZE}) {
      try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
        client.setChunkSize(MAX_CHUNK_SIZE, true);
        client.send(new RtmpMessage(6, MessageType.AGGREGATE, 0, 0, nestedAggregates(length)));
        assertThat(client.awaitClosedByServer(BOUND)).as(length + " bytes").isLessThan(AT_ONCE);
      }
    }
  }

  // ---- commands ----

  @Test
  void garbageAmfInConnectClosesTheConnection() throws Exception {
    ByteBuf connect = Unpooled.buffer().writeByte(2).writeShort(7).writeBytes("connect".getBytes(StandardCharsets.US_ASCII))
        .writeByte(0).writeDouble(1.0);
    List<ByteBuf> payloads = new ArrayList<>();
    // An unknown type marker after the transaction id.
    payloads.add(Unpooled.copiedBuffer(connect).writeByte(0xFF));
    // A command object whose "app" string claims 65535 bytes and has 3.
    payloads.add(Unpooled.copiedBuffer(connect).writeByte(3).writeShort(3).writeBytes(new byte[] {'a', 'p', 'p'})
        .writeByte(2).writeShort(0xFFFF).writeBytes(new byte[] {'l', 'i', 'v'}));
    // Objects nested 40 deep.
    ByteBuf deep = Unpooled.copiedBuffer(connect);
    for (int i = 0; i < 40; i++) {
      deep.writeByte(3).writeShort(1).writeByte('a');
    }
    payloads.add(deep);
    // A strict array claiming 2^31 items.
    payloads.add(Unpooled.copiedBuffer(connect).writeByte(0x0A).writeInt(0x7FFFFFFF).writeByte(0));
    // A number where the command object belongs.
    payloads.add(Unpooled.copiedBuffer(connect).writeByte(0).writeDouble(5));
    // Random bytes.
    for (int seed = 0; seed < 4; seed++) {
      byte[] random = new byte[200];
      new Random(seed).nextBytes(random);
      payloads.add(Unpooled.wrappedBuffer(random));
    }
    double before = refusals("bad-input");
    for (int i = 0; i < payloads.size(); i++) {
      try (RawRtmp client = RawRtmp.open(node.rtmpPort())) {
        client.handshake();
        client.send(new RtmpMessage(3, MessageType.COMMAND_AMF0, 0, 0, payloads.get(i)));
        assertThat(client.awaitClosedByServer(BOUND)).as("garbage connect " + i).isLessThan(AT_ONCE);
      }
    }
    assertThat(refusals("bad-input")).as("connections closed for bad input, counted").isEqualTo(before + payloads.size());
  }

  /** The node's count of connections refused or closed for {@code reason}. */
  private static double refusals(String reason) throws Exception {
    return node.scrape().value("streamedge_connections_refused_total", "reason", reason);
  }

  @Test
  void commandBeforeConnectClosesTheConnection() throws Exception {
    for (String command : new String[] {"createStream", "publish", "play", "releaseStream"}) {
      try (RawRtmp client = RawRtmp.open(node.rtmpPort())) {
        client.handshake();
        client.command(0, command, 2.0, null, "good");
        assertThat(client.awaitClosedByServer(BOUND)).as(command).isLessThan(AT_ONCE);
      }
    }
  }

  @Test
  void publishOnAMessageStreamThatWasNeverCreatedClosesTheConnection() throws Exception {
    try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
      client.command(7, "publish", 0.0, null, "intruder", "live");
      assertThat(client.awaitClosedByServer(BOUND)).isLessThan(AT_ONCE);
    }
    // Nor does publishing to the good key on an uncreated stream take it over.
    try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
      assertThat(client.createStream(2.0)).first().isEqualTo("_result");
      client.command(2, "publish", 0.0, null, "good", "live");
      assertThat(client.awaitClosedByServer(BOUND)).isLessThan(AT_ONCE);
    }
    node.awaitPublisher("good");
  }

  // ---- flood ----

  @Test
  void floodOf200ConnectionsSendingRandomBytesIsClosedWhileThePlayerPlays() throws Exception {
    int connections = 200;
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Duration>> results = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        int seed = i;
        results.add(pool.submit(() -> floodOne(seed, go)));
      }
      go.countDown();
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        try {
          results.get(i).get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          failures.add("connection " + i + ": " + e.getCause());
        }
      }
      assertThat(failures).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * One flooding connection: random bytes from the first byte on, or (every fourth) a valid
   * handshake followed by random chunk bytes. Returns when the server has closed it.
   */
  private static Duration floodOne(int seed, CountDownLatch go) throws Exception {
    Random random = new Random(seed);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", node.rtmpPort()), 5000);
      go.await();
      long start = System.nanoTime();
      OutputStream out = socket.getOutputStream();
      try {
        if (seed % 4 == 0) {
          out.write(ClientHandshake.hello(false, random));
          byte[] c2 = new byte[Handshake.PACKET_SIZE];
          random.nextBytes(c2);
          out.write(c2);
        }
        byte[] bytes = new byte[4096];
        for (int i = 0; i < 16; i++) {
          random.nextBytes(bytes);
          out.write(bytes);
        }
      } catch (IOException e) {
        // Writing failed because the server had already closed the connection: what we want.
      }
      InputStream in = socket.getInputStream();
      long deadline = start + TimeUnit.SECONDS.toNanos(8);
      byte[] sink = new byte[8192];
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("seed " + seed + ": not closed by the server within 8 s");
        }
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        try {
          if (in.read(sink) < 0) {
            break;
          }
        } catch (SocketTimeoutException e) {
          // Checked against the deadline above.
        } catch (SocketException e) {
          break; // reset by the server
        }
      }
      return Duration.ofNanos(System.nanoTime() - start);
    }
  }

  // ---- the good stream ----

  @Test
  @Order(Integer.MAX_VALUE)
  void goodPlayerReceivedEveryPublishedPacketThroughAllOfIt() throws Exception {
    good.assertPlayerReceivedEveryPacket();
  }

  private static ByteBuf filled(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return Unpooled.wrappedBuffer(bytes);
  }

  /** An aggregate whose only sub-message is an aggregate, and so on, in at most {@code limit} bytes. */
  private static ByteBuf nestedAggregates(int limit) {
    int depth = limit / 15;
    ByteBuf out = Unpooled.buffer(depth * 15);
    // Sub-message header: type, size, timestamp + extension, stream id; after the body its back pointer.
    for (int level = depth; level >= 1; level--) {
      out.writeByte(MessageType.AGGREGATE).writeMedium((level - 1) * 15).writeMedium(0).writeByte(0).writeMedium(0);
    }
    for (int level = 1; level <= depth; level++) {
      out.writeInt(11 + (level - 1) * 15);
    }
    return out;
  }

  private static ByteBuf type0Header(int csid, int length, int type) {
    return Unpooled.buffer().writeByte(csid).writeMedium(0).writeMedium(length).writeByte(type).writeIntLE(1);
  }
}
