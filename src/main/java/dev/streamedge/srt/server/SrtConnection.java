package dev.streamedge.srt.server;

import dev.streamedge.auth.AuthAction;
import dev.streamedge.auth.AuthRequest;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.media.MediaKind;
import dev.streamedge.metrics.PublisherMeters;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.metrics.SrtMeters;
import dev.streamedge.mpegts.FlvFromTs;
import dev.streamedge.mpegts.TsDemuxer;
import dev.streamedge.session.Client;
import dev.streamedge.session.ClientInfo;
import dev.streamedge.session.ClientRole;
import dev.streamedge.session.Protocol;
import dev.streamedge.srt.Ack;
import dev.streamedge.srt.DataPacket;
import dev.streamedge.srt.Handshake;
import dev.streamedge.srt.HandshakeExtension.HsReq;
import dev.streamedge.srt.ListenerHandshakes;
import dev.streamedge.srt.SeqRange;
import dev.streamedge.srt.SrtPacket;
import dev.streamedge.srt.SrtReceiver;
import dev.streamedge.srt.StreamIdRequest;
import dev.streamedge.stream.PublishSession;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamPublisher;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SRT caller that publishes, from its conclusion handshake to its shutdown: auth and the claim of its
 * stream first (the caller repeats its conclusion meanwhile, and gets the answer once both are done), then
 * its data packets through an {@link SrtReceiver} (acknowledged every 10 ms, losses reported at once and
 * again while missing, given up on after the latency), the MPEG-TS they carry demuxed into FLV bodies for
 * the stream. On the listener's context.
 */
final class SrtConnection extends SrtSession implements StreamPublisher, Client {

  private static final Logger LOG = LoggerFactory.getLogger(SrtConnection.class);
  private static final RateLimitedLog PUBLISH_LOG = RateLimitedLog.of(LOG, "publish");
  private static final RateLimitedLog STOP_LOG = RateLimitedLog.of(LOG, "unpublish");
  /** A full ACK every 10 ms (SRT draft §4.8.1), the same period libsrt uses: the beat of every connection. */
  static final long ACK_PERIOD_MICROS = 10_000;
  /** The most FLV bodies held at the start, waiting for every track's sequence header ({@link StartGate}). */
  private static final int MAX_HELD_AT_START = 256;
  /** The most media held at the start: ffmpeg's MPEG-TS muxer sends audio up to 0.7 s after the video. */
  private static final long MAX_HELD_MILLIS_AT_START = 2000;

  private final PublisherMeters meters;
  private final SrtMeters srtMeters;
  private long clientId = -1;
  private SrtReceiver receiver;
  private TsDemuxer demuxer;
  private PublishSession session;
  private Runnable unwatch = () -> { };
  private long bytesIn;
  private SrtReceiver.Stats counted = new SrtReceiver.Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  SrtConnection(SrtListenerVerticle listener, SrtServer server, Context context, Peer peer, int socketId,
      int peerSocketId, long nowMicros) {
    super(listener, server, context, peer, socketId, peerSocketId, nowMicros);
    this.meters = server.metrics().publisher(Protocol.SRT);
    this.srtMeters = server.metrics().srt();
  }

  @Override
  String action() {
    return "publish";
  }

  /**
   * The caller's first valid conclusion (SRT draft §4.3.1.1): reads the stream id, asks auth, claims the
   * stream, then answers; a refusal at any step answers with its rejection code.
   */
  void conclusion(Handshake hello, StreamIdRequest wanted, int latencyMillis) {
    key = new StreamKey(wanted.app(), wanted.name());
    if (!server.acceptsPublishers()) {
      refuse(hello, Handshake.REJECT_FORBIDDEN, "this node is an edge: publish to an origin node", null);
      return;
    }
    request = new AuthRequest(AuthAction.PUBLISH, key, wanted.query(), peer.host(), peer.text(),
        Protocol.SRT.label(), "");
    keysThen(hello, () -> authorize(hello, latencyMillis));
  }

  /** Auth, then the claim of the stream; the answer once both are done. */
  private void authorize(Handshake hello, int latencyMillis) {
    server.auth().check(request).onComplete(checked -> {
      if (state != State.AUTHORIZING) {
        return;
      }
      if (!checked.result().allowed()) {
        refuse(hello, Handshake.REJECT_UNAUTHORIZED, "auth: " + checked.result().reason(), null);
        return;
      }
      StreamKey published = checked.result().streamFor(key);
      server.registry().claim(published, this, server.auth().credential(request)).onComplete(done -> {
        PublishSession claimed = done.result().session();
        if (state != State.AUTHORIZING) {
          if (claimed != null) {
            claimed.close();
          }
          return;
        }
        if (claimed == null) {
          refuse(hello, Handshake.REJECT_CONFLICT, done.result().refusal().describe(published),
              done.result().refusal().isTakeover() ? Refusal.TAKEOVER : null);
          return;
        }
        start(hello, published, claimed, latencyMillis);
        String pushTo = checked.result().redirect();
        if (!pushTo.isEmpty()) {
          // nginx-rtmp's on_publish 3xx with an RTMP Location: a push of this publish, as for RTMP.
          server.registry().pushRequested(published, pushTo);
        }
      });
    });
  }

  private void start(Handshake hello, StreamKey published, PublishSession claimed, int latencyMillis) {
    key = published;
    session = claimed;
    state = State.OPEN;
    clientId = server.clients().add(this);
    meters.publisherStarted();
    StartGate gate = new StartGate(() -> demuxer.hasVideo(), () -> demuxer.hasAudio(), MAX_HELD_AT_START,
        MAX_HELD_MILLIS_AT_START, this::media);
    demuxer = new TsDemuxer((int) server.config().maxFrameSize().bytes(), new FlvFromTs(gate));
    receiver = new SrtReceiver(hello.initialSequence(), latencyMillis, server.config().maxBufferedPackets(),
        peerSocketId(), startMicros, this::deliver);
    unwatch = server.auth().watch(request, published, reason -> close("auth: " + reason, true));
    HsReq asked = hello.extension(HsReq.class).orElseThrow();
    answer(hello, ListenerHandshakes.conclusionResponse(hello, socketId(), ListenerHandshakes.MAX_MTU,
        server.config().maxBufferedPackets(), Handshake.peerAddressOf(peer.address()),
        ListenerHandshakes.hsRsp(asked, Conclusions.SRT_VERSION, latencyMillis), 0));
    PUBLISH_LOG.info("publish {} stream={} protocol=srt latency={}ms", peer.text(), published, latencyMillis);
  }

  @Override
  void packet(SrtPacket packet, long nowMicros) {
    if (state != State.OPEN) {
      return;
    }
    lastReceivedMicros = nowMicros;
    if (packet instanceof DataPacket data) {
      if (keys != null) {
        keys.decrypt(data);
      }
      int size = data.payload().readableBytes();
      bytesIn += size + SrtPacket.HEADER_SIZE;
      meters.received(size);
      List<SeqRange> lost = receiver.onData(data, nowMicros);
      if (!lost.isEmpty()) {
        send(receiver.nak(lost, nowMicros));
      }
    } else if (packet instanceof SrtPacket.AckAck ackAck) {
      receiver.onAckAck(ackAck.ackNumber(), nowMicros);
    } else if (packet instanceof SrtPacket.DropRequest drop) {
      receiver.onDropRequest(drop.first(), drop.last(), nowMicros);
    } else if (packet instanceof SrtPacket.Shutdown) {
      close("the caller shut down", false);
    } else if (packet instanceof Handshake) {
      concludedAgain();
    } else {
      keysRefreshed(packet, receiver.timestamp(nowMicros));
    }
  }

  /** The 10 ms beat: delivery of what waited long enough, the full ACK, loss reports, keepalive, idleness. */
  @Override
  void tick(long nowMicros) {
    if (state != State.OPEN || closedIfIdle(nowMicros)) {
      return;
    }
    receiver.tick(nowMicros);
    Ack ack = receiver.nextFullAck(nowMicros);
    if (ack != null) {
      send(ack);
    }
    List<SeqRange> again = receiver.lossesToReport(nowMicros);
    if (!again.isEmpty()) {
      send(receiver.nak(again, nowMicros));
    }
    if (nowMicros - lastSentMicros >= KEEPALIVE_MICROS) {
      send(new SrtPacket.KeepAlive(receiver.timestamp(nowMicros), peerSocketId()));
    }
    count(receiver.stats());
  }

  /** Adds what the receiver counted since the last beat to the node's SRT meters. */
  private void count(SrtReceiver.Stats now) {
    srtMeters.received(now.receivedPackets() - counted.receivedPackets());
    srtMeters.retransmitted(now.retransmittedPackets() - counted.retransmittedPackets());
    srtMeters.lost(now.lostPackets() - counted.lostPackets());
    srtMeters.dropped(now.droppedPackets() - counted.droppedPackets());
    counted = now;
  }

  /** An in-order payload from the receiver, which hands it over: released once the demuxer read it. */
  private void deliver(ByteBuf payload) {
    try {
      demuxer.feed(payload);
    } finally {
      payload.release();
    }
  }

  private void media(MediaKind kind, long timestamp, ByteBuf body) {
    if (session != null) {
      session.media(kind, timestamp, body);
    }
  }

  /** Ends the connection: the publish ends, and the caller is told with a shutdown unless it said so itself. */
  @Override
  void close(String reason, boolean tellPeer) {
    if (state == State.CLOSED) {
      return;
    }
    State was = state;
    state = State.CLOSED;
    if (tellPeer && was == State.OPEN) {
      send(new SrtPacket.Shutdown(receiver.timestamp(micros()), peerSocketId()));
    }
    if (receiver != null) {
      count(receiver.stats());
      // The last frame of each track has no next frame to end it: it goes out now, before the publish ends.
      demuxer.flush();
      receiver.close();
    }
    if (session != null) {
      STOP_LOG.info("unpublish {} stream={} reason={}", peer.text(), key, reason);
      session.close();
      session = null;
      unwatch.run();
      server.auth().ended(request);
      meters.publisherStopped();
    }
    if (clientId >= 0) {
      server.clients().remove(clientId);
    }
    listener.forget(this);
  }

  // ---- the stream core's and the API's view ----

  @Override
  public String peer() {
    return peer.text();
  }

  @Override
  public ClientInfo info() {
    return new ClientInfo(clientId, Protocol.SRT.label(), ClientRole.PUBLISHER, peer.text(), key, connectedAtMillis,
        bytesIn, 0, "", 0);
  }
}
