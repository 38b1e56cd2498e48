package dev.streamedge.srt.server;

import dev.streamedge.auth.AuthAction;
import dev.streamedge.auth.AuthRequest;
import dev.streamedge.hls.ts.TsMuxer;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.metrics.PlayerMeters;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.metrics.SrtMeters;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.player.Player;
import dev.streamedge.player.PlayerOutput;
import dev.streamedge.session.Client;
import dev.streamedge.session.ClientInfo;
import dev.streamedge.session.ClientRole;
import dev.streamedge.session.Protocol;
import dev.streamedge.srt.Ack;
import dev.streamedge.srt.DataPacket;
import dev.streamedge.srt.Handshake;
import dev.streamedge.srt.HandshakeExtension.HsReq;
import dev.streamedge.srt.ListenerHandshakes;
import dev.streamedge.srt.Nak;
import dev.streamedge.srt.SrtPacket;
import dev.streamedge.srt.SrtSender;
import dev.streamedge.srt.StreamIdRequest;
import dev.streamedge.stream.StreamKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SRT caller that plays ({@code read:live/key} and the like in its stream id), from its conclusion
 * handshake to its shutdown: auth of the play first (the caller repeats its conclusion meanwhile), then the
 * stream as MPEG-TS ({@link TsPlayerEncoder}) from a {@link Player} with the same bounded queue and keyframe
 * skipping as every other player, cut into 1316-byte payloads (seven TS packets, libsrt's live payload size)
 * that an {@link SrtSender} numbers, keeps until acknowledged, sends again when reported lost and gives up on
 * once too late. When the publisher leaves, the caller is shut down once it has acknowledged everything and
 * had the latency to play it. On the listener's context.
 */
final class SrtPlayer extends SrtSession implements PlayerOutput, Client {

  private static final Logger LOG = LoggerFactory.getLogger(SrtPlayer.class);
  private static final RateLimitedLog PLAY_LOG = RateLimitedLog.of(LOG, "play");
  private static final RateLimitedLog STOP_LOG = RateLimitedLog.of(LOG, "stop");
  /** libsrt's live payload size (SRT_LIVE_DEF_PLSIZE): seven TS packets, which fit any Ethernet MTU. */
  static final int PAYLOAD_BYTES = 7 * TsMuxer.PACKET_SIZE;
  /** The longest a player waits, after its publisher left, for the caller to acknowledge what it was sent. */
  private static final long ENDING_MICROS = 3_000_000;

  private final PlayerMeters meters;
  private final SrtMeters srtMeters;
  private long clientId = -1;
  private int latencyMillis;
  private SrtSender sender;
  private Player player;
  private Runnable unwatch = () -> { };
  private long bytesOut;
  /** When the publisher left, or -1 while it is on. */
  private long endingSinceMicros = -1;
  /** Since when the caller has acknowledged everything sent after the publisher left, or -1. */
  private long allAckedSinceMicros = -1;
  private SrtSender.Stats counted = new SrtSender.Stats(0, 0, 0);

  SrtPlayer(SrtListenerVerticle listener, SrtServer server, Context context, Peer peer, int socketId,
      int peerSocketId, long nowMicros) {
    super(listener, server, context, peer, socketId, peerSocketId, nowMicros);
    this.meters = server.metrics().player(Protocol.SRT);
    this.srtMeters = server.metrics().srt();
  }

  @Override
  String action() {
    return "play";
  }

  /**
   * The caller's first valid conclusion: its keys are taken when it encrypts, the play is asked of auth,
   * then answered; a refusal at any step answers with its rejection code.
   *
   * @param latency the latency of this direction: the larger of {@code srt.latency} and the caller's
   */
  void conclusion(Handshake hello, StreamIdRequest wanted, int latency) {
    key = new StreamKey(wanted.app(), wanted.name());
    latencyMillis = latency;
    request = new AuthRequest(AuthAction.PLAY, key, wanted.query(), peer.host(), peer.text(), Protocol.SRT.label(),
        "");
    keysThen(hello, () -> authorize(hello));
  }

  private void authorize(Handshake hello) {
    server.auth().check(request).onComplete(checked -> {
      if (state != State.AUTHORIZING) {
        return;
      }
      if (!checked.result().allowed()) {
        refuse(hello, Handshake.REJECT_UNAUTHORIZED, "auth: " + checked.result().reason(), null);
        return;
      }
      if (!checked.result().redirect().isEmpty()) {
        // nginx-rtmp's on_play redirect to rtmp://...: the node pulls the stream from there, as for RTMP.
        server.registry().redirected(key, checked.result().redirect());
      }
      start(hello, checked.result().streamFor(key));
    });
  }

  private void start(Handshake hello, StreamKey played) {
    clientId = server.clients().add(this);
    if (clientId < 0) {
      refuse(hello, Handshake.REJECT_OVERLOAD, "the node's clients are at their limit", Refusal.LIMIT);
      return;
    }
    key = played;
    state = State.OPEN;
    long now = micros();
    sender = new SrtSender(hello.initialSequence(), peerSocketId(), startMicros, latencyMillis,
        server.config().maxBufferedPackets());
    HsReq asked = hello.extension(HsReq.class).orElseThrow();
    // The answer's timestamp is where the caller's clock for this side's packets starts (libsrt's
    // processSrtMsg_HSRSP): the data packets' timestamps count from the same start.
    answer(hello, ListenerHandshakes.conclusionResponse(hello, socketId(), ListenerHandshakes.MAX_MTU,
        server.config().maxBufferedPackets(), Handshake.peerAddressOf(peer.address()),
        ListenerHandshakes.hsRsp(asked, Conclusions.SRT_VERSION, latencyMillis), sender.timestamp(now)));
    unwatch = server.auth().watch(request, reason -> close("auth: " + reason, true));
    player = Player.unshared(context, this, new TsPlayerEncoder(), server.player(), meters);
    player.play(server.registry(), played);
    PLAY_LOG.info("play {} stream={} protocol=srt latency={}ms", peer.text(), played, latencyMillis);
  }

  @Override
  void packet(SrtPacket packet, long nowMicros) {
    if (state != State.OPEN) {
      return;
    }
    lastReceivedMicros = nowMicros;
    if (packet instanceof Ack ack) {
      SrtPacket.AckAck ackAck = sender.onAck(ack, nowMicros);
      if (ackAck != null) {
        send(ackAck);
      }
      player.drain();
    } else if (packet instanceof Nak nak) {
      SrtSender.Resend resend = sender.onNak(nak, nowMicros);
      resend.packets().forEach(again -> transmit(again, nowMicros));
      resend.dropped().forEach(this::send);
    } else if (packet instanceof SrtPacket.Shutdown) {
      close("the caller shut down", false);
    } else if (packet instanceof Handshake) {
      concludedAgain();
    } else {
      keysRefreshed(packet, sender.timestamp(nowMicros));
    }
  }

  /** The 10 ms beat: packets given up on, old unacknowledged ones sent again, the end after the publisher left. */
  @Override
  void tick(long nowMicros) {
    if (state != State.OPEN || closedIfIdle(nowMicros)) {
      return;
    }
    if (sender.dropTooLate(nowMicros) > 0) {
      player.drain();
    }
    for (DataPacket again : sender.resendUnacknowledged(nowMicros)) {
      transmit(again, nowMicros);
    }
    count(sender.stats());
    if (endingSinceMicros >= 0 && ended(nowMicros)) {
      close("publisher left", true);
      return;
    }
    if (nowMicros - lastSentMicros >= KEEPALIVE_MICROS) {
      send(new SrtPacket.KeepAlive(sender.timestamp(nowMicros), peerSocketId()));
    }
  }

  /**
   * Whether a player whose publisher left is done: everything sent was acknowledged and the latency passed
   * since, so the caller played it (a shutdown ends libsrt's receiving at once, what it holds unplayed
   * included); or it took too long.
   */
  private boolean ended(long nowMicros) {
    if (sender.inFlight() > 0) {
      allAckedSinceMicros = -1;
    } else if (allAckedSinceMicros < 0) {
      allAckedSinceMicros = nowMicros;
    }
    return allAckedSinceMicros >= 0 && nowMicros - allAckedSinceMicros > latencyMillis * 1000L
        || nowMicros - endingSinceMicros > ENDING_MICROS + latencyMillis * 1000L;
  }

  private void count(SrtSender.Stats now) {
    srtMeters.sent(now.sentPackets() - counted.sentPackets());
    srtMeters.resent(now.resentPackets() - counted.resentPackets());
    srtMeters.sendDropped(now.droppedPackets() - counted.droppedPackets());
    counted = now;
  }

  // ---- the player's output ----

  /** Three quarters of the send buffer wait for acknowledgement: a keyframe's packets still fit in the rest. */
  @Override
  public boolean full() {
    return sender.inFlight() >= server.config().maxBufferedPackets() * 3 / 4;
  }

  @Override
  public long unackedBytes() {
    return sender.unackedBytes();
  }

  /**
   * One packet's MPEG-TS, cut into payloads that the sender keeps as slices of it; what does not fit the send
   * buffer gives its oldest packets up. The buffer is this player's own ({@link TsPlayerEncoder} made it for
   * this write alone): its reference goes to the slices, and it is freed with the last of them.
   */
  @Override
  public void write(Buffer media) {
    if (media.length() == 0) {
      return; // the encoder's one empty answer, shared: nothing to free
    }
    ByteBuf bytes = WireBuffers.unwrap(media);
    try {
      if (state != State.OPEN || endingSinceMicros >= 0) {
        return;
      }
      long now = micros();
      for (int offset = bytes.readerIndex(); offset < bytes.writerIndex(); offset += PAYLOAD_BYTES) {
        if (sender.full()) {
          sender.dropOldest();
        }
        int length = Math.min(PAYLOAD_BYTES, bytes.writerIndex() - offset);
        transmit(sender.send(bytes.retainedSlice(offset, length), now), now);
      }
      bytesOut += media.length();
      meters.sent(media.length());
    } finally {
      bytes.release();
    }
  }

  private void transmit(DataPacket packet, long nowMicros) {
    if (keys == null) {
      send(packet);
      return;
    }
    // Encrypted into a copy: the kept payload stays clear, and a retransmission is encrypted again the same way
    // (the IV comes from the sequence number).
    ByteBuf encrypted = Unpooled.copiedBuffer(packet.payload());
    int keyField = keys.encrypt(packet.sequence(), encrypted);
    send(new DataPacket(packet.sequence(), packet.position(), packet.inOrder(), keyField, packet.retransmitted(),
        packet.messageNumber(), packet.timestamp(), packet.destinationSocket(), encrypted));
    encrypted.release();
  }

  @Override
  public void published() {
    // A publisher back before the end: the transport stream goes on.
    endingSinceMicros = -1;
    allAckedSinceMicros = -1;
  }

  @Override
  public void unpublished() {
    if (state == State.OPEN && endingSinceMicros < 0) {
      endingSinceMicros = micros();
    }
  }

  /** Stayed behind live for {@code player.max-behind}. */
  @Override
  public void close(String reason) {
    close(reason, true);
  }

  @Override
  void close(String reason, boolean tellPeer) {
    if (state == State.CLOSED) {
      return;
    }
    State was = state;
    state = State.CLOSED;
    if (was == State.OPEN) {
      if (tellPeer) {
        send(new SrtPacket.Shutdown(sender.timestamp(micros()), peerSocketId()));
      }
      player.stop();
      count(sender.stats());
      sender.close();
      STOP_LOG.info("stop {} stream={} protocol=srt reason={} dropped={}", peer.text(), key, reason,
          player.dropped());
      unwatch.run();
      server.auth().ended(request);
      server.clients().remove(clientId);
    }
    listener.forget(this);
  }

  // ---- the API's view ----

  @Override
  public ClientInfo info() {
    return new ClientInfo(clientId, Protocol.SRT.label(), ClientRole.PLAYER, peer.text(), key, connectedAtMillis, 0,
        bytesOut, "", player == null ? 0 : player.dropped());
  }
}
