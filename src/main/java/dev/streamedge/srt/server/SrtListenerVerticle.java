package dev.streamedge.srt.server;

import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.net.DatagramBuffers;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.srt.DataPacket;
import dev.streamedge.srt.Handshake;
import dev.streamedge.srt.ListenerHandshakes;
import dev.streamedge.srt.SrtFormatException;
import dev.streamedge.srt.SrtPacket;
import dev.streamedge.srt.StreamIdRequest;
import dev.streamedge.srt.SynCookie;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SRT listener: one UDP socket, on this verticle's event loop. A handshake addressed to socket 0 is a
 * new caller's: its induction is answered with a SYN cookie and no state kept (SRT draft §4.3.1.1), so a
 * spoofed source costs nothing; a conclusion that returns the cookie makes a {@link SrtConnection} for a
 * publisher or an {@link SrtPlayer} for a player ({@code read:} and the like in its stream id), within
 * {@code srt.max-connections}. Every other packet goes to the connection its destination socket id names,
 * from the address that connection came from. A 10 ms timer drives every connection's ACKs, loss reports
 * and idle checks.
 */
public final class SrtListenerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SrtListenerVerticle.class);
  private static final RateLimitedLog REFUSED_LOG = RateLimitedLog.of(LOG, "refused");
  private static final RateLimitedLog BAD_INPUT_LOG = RateLimitedLog.of(LOG, "bad input");
  /** What a listener sends fits in one Ethernet MTU (ListenerHandshakes.MAX_MTU). */
  private static final int DATAGRAM_BYTES = ListenerHandshakes.MAX_MTU;

  /**
   * The kernel's receive buffer asked for: a publisher's keyframe burst must fit while the event loop is busy.
   * With Linux's default 208 KiB, 190 of 15,600 packets of a 5 Mbit/s publish were dropped by the kernel in
   * 30 s (all sent again); Linux caps the request at net.core.rmem_max (4 MiB on Debian 12 here).
   */
  private static final int RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

  private final SrtServer server;
  /**
   * Socket ids and the cookie secret: a DRBG, seeded once, so that neither is predictable to an off-path
   * sender and no draw reads the system's entropy source on the event loop (NativePRNG reads /dev/urandom).
   */
  private final SecureRandom random = drbg();
  private final SynCookie cookies;
  private final Map<Integer, SrtSession> bySocket = new HashMap<>();
  private final Map<Caller, SrtSession> byCaller = new HashMap<>();
  private DatagramSocket socket;
  private long timer = -1;
  /** The size of {@link #bySocket}, for the metrics' scrapes on other threads. */
  private volatile int open;

  /** A caller: its address and the socket id it named itself with. */
  private record Caller(String host, int port, int socketId) {
  }

  public SrtListenerVerticle(SrtServer server) {
    this.server = server;
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    this.cookies = new SynCookie(secret, SynCookie.DEFAULT_BUCKET_MICROS);
  }

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE 9+ runtime has DRBG (JEP 273).
      throw new IllegalStateException("no DRBG SecureRandom", e);
    }
  }

  @Override
  public Future<?> start() {
    server.metrics().srt().connections(this::connections);
    // No receive buffer size in the options: Vert.x would also make it the size of the buffer Netty allocates
    // for every datagram; DatagramBuffers sets the kernel's alone. Netty's 2048 bytes hold any SRT packet.
    socket = vertx.createDatagramSocket(new DatagramSocketOptions());
    socket.handler(this::datagram);
    return socket.listen(server.config().port(), server.config().host()).onSuccess(bound -> {
      DatagramBuffers.receiveBuffer(bound, RECEIVE_BUFFER_BYTES);
      timer = vertx.setPeriodic(SrtConnection.ACK_PERIOD_MICROS / 1000, id -> tick());
    });
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    for (SrtSession connection : new ArrayList<>(bySocket.values())) {
      connection.close("the node is stopping", true);
    }
    return socket.close();
  }

  /** The UDP port bound. */
  public int port() {
    return socket.localAddress().port();
  }

  /** Connections now, handshakes waiting for auth included. Any thread. */
  public int connections() {
    return open;
  }

  long nowMicros() {
    return System.nanoTime() / 1000;
  }

  private void datagram(DatagramPacket datagram) {
    ByteBuf bytes = WireBuffers.unwrap(datagram.data());
    SrtPacket packet;
    try {
      packet = SrtPacket.decode(bytes);
    } catch (SrtFormatException e) {
      server.metrics().srt().malformed();
      BAD_INPUT_LOG.info("srt datagram dropped {}:{} reason={}", datagram.sender().hostAddress(),
          datagram.sender().port(), e.getMessage());
      return;
    }
    long now = nowMicros();
    if (packet.destinationSocket() == 0) {
      if (packet instanceof Handshake handshake) {
        handshake(handshake, Peer.of(datagram.sender()), now);
      }
      return;
    }
    SrtSession connection = bySocket.get(packet.destinationSocket());
    if (connection != null && connection.peerAddress().port() == datagram.sender().port()
        && connection.peerAddress().host().equals(datagram.sender().hostAddress())) {
      connection.packet(packet, now);
    }
  }

  private void handshake(Handshake hello, Peer peer, long now) {
    if (hello.type() == Handshake.TYPE_INDUCTION) {
      send(ListenerHandshakes.inductionResponse(hello, cookies.make(peer.address(), peer.port(), now), 0), peer);
      return;
    }
    if (hello.type() != Handshake.TYPE_CONCLUSION) {
      return;
    }
    SrtSession known = byCaller.get(new Caller(peer.host(), peer.port(), hello.socketId()));
    if (known != null) {
      known.concludedAgain();
      return;
    }
    if (!cookies.isValid(hello.synCookie(), peer.address(), peer.port(), now)) {
      // Not the cookie this address was given: a spoofed or very late conclusion, answered with nothing.
      BAD_INPUT_LOG.info("srt conclusion ignored {} reason=wrong SYN cookie", peer.text());
      return;
    }
    Conclusions.Rejection unsupported = Conclusions.unsupported(hello, !server.config().passphrase().isEmpty()).orElse(null);
    if (unsupported != null) {
      reject(hello, peer, unsupported.code(), unsupported.why(), Refusal.BAD_INPUT);
      return;
    }
    if (bySocket.size() >= server.config().maxConnections()) {
      reject(hello, peer, Handshake.REJECT_OVERLOAD, "srt.max-connections reached", Refusal.LIMIT);
      return;
    }
    StreamIdRequest wanted;
    try {
      wanted = StreamIdRequest.parse(Conclusions.streamId(hello), server.config().defaultApp());
    } catch (IllegalArgumentException e) {
      reject(hello, peer, Handshake.REJECT_BAD_REQUEST, "stream id: " + e.getMessage(), Refusal.BAD_INPUT);
      return;
    }
    if (wanted.play()) {
      int latency = Math.max((int) server.config().latency().toMillis(), Conclusions.receiverLatency(hello));
      SrtPlayer player = new SrtPlayer(this, server, context, peer, newSocketId(), hello.socketId(), now);
      keep(player, hello);
      player.conclusion(hello, wanted, latency);
      return;
    }
    int latency = Math.max((int) server.config().latency().toMillis(), Conclusions.senderLatency(hello));
    SrtConnection connection = new SrtConnection(this, server, context, peer, newSocketId(), hello.socketId(), now);
    keep(connection, hello);
    connection.conclusion(hello, wanted, latency);
  }

  private void keep(SrtSession session, Handshake hello) {
    bySocket.put(session.socketId(), session);
    byCaller.put(new Caller(session.peerAddress().host(), session.peerAddress().port(), hello.socketId()), session);
    open = bySocket.size();
  }

  /** Answers a conclusion with a rejection and keeps nothing: each repeat of it is answered the same way. */
  private void reject(Handshake hello, Peer peer, int code, String why, Refusal counted) {
    if (counted != null) {
      server.metrics().refused(counted);
    }
    REFUSED_LOG.info("srt refused {} code={} reason={}", peer.text(), code, why);
    send(ListenerHandshakes.rejection(hello, code, 0), peer);
  }

  private int newSocketId() {
    while (true) {
      // Positive 31-bit ids, never 0, which names the listener itself in a caller's first handshake.
      int id = random.nextInt(Integer.MAX_VALUE - 1) + 1;
      if (!bySocket.containsKey(id)) {
        return id;
      }
    }
  }

  private void tick() {
    long now = nowMicros();
    for (SrtSession connection : new ArrayList<>(bySocket.values())) {
      connection.tick(now);
    }
  }

  /** Sends {@code packet} to {@code peer}: one datagram, in a buffer of its own that the socket releases. */
  void send(SrtPacket packet, Peer peer) {
    ByteBuf datagram = Unpooled.buffer(packet instanceof DataPacket data
        ? SrtPacket.HEADER_SIZE + data.payload().readableBytes() : DATAGRAM_BYTES);
    packet.encodeTo(datagram);
    socket.send(WireBuffers.wrap(datagram), peer.port(), peer.host());
  }

  /** Drops a closed or expired connection from both tables. */
  void forget(SrtSession connection) {
    bySocket.remove(connection.socketId(), connection);
    open = bySocket.size();
    byCaller.remove(new Caller(connection.peerAddress().host(), connection.peerAddress().port(),
        connection.peerSocketId()), connection);
  }
}
