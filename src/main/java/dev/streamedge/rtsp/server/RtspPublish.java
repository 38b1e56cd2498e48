package dev.streamedge.rtsp.server;

import dev.streamedge.auth.AuthAction;
import dev.streamedge.auth.AuthRequest;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.media.MediaKind;
import dev.streamedge.metrics.PublisherMeters;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.rtp.receive.FlvFromRtp;
import dev.streamedge.rtp.receive.RtpFormatException;
import dev.streamedge.rtp.receive.SdpDescription;
import dev.streamedge.rtp.receive.SdpMedia;
import dev.streamedge.rtsp.InterleavedFrame;
import dev.streamedge.rtsp.RtspFormatException;
import dev.streamedge.rtsp.RtspRequest;
import dev.streamedge.rtsp.RtspTarget;
import dev.streamedge.rtsp.TransportSpec;
import dev.streamedge.session.Protocol;
import dev.streamedge.stream.PublishSession;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamPublisher;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishing side of an RTSP connection (RFC 2326 §10.3 ANNOUNCE, §10.11 RECORD): the SDP it announces read
 * ({@link FlvFromRtp}: its first H.264 or H.265 track and its first AAC track), auth asked as for any publish, each
 * track set up for RTP interleaved on the connection in record mode (§10.12), the stream claimed at RECORD as an
 * RTMP publisher claims it, then each interleaved RTP packet put into FLV bodies for the stream, and the RTCP sender
 * reports used to line the tracks up. On the connection's context.
 */
final class RtspPublish implements StreamPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(RtspPublish.class);
  private static final RateLimitedLog REFUSED_LOG = RateLimitedLog.of(LOG, "refused");
  private static final RateLimitedLog PUBLISH_LOG = RateLimitedLog.of(LOG, "publish");
  private static final RateLimitedLog STOP_LOG = RateLimitedLog.of(LOG, "unpublish");
  /** A channel's entry for an RTCP channel: the media index plus this. */
  private static final int RTCP = 0x100;
  private static final int UNUSED = -1;

  private final RtspServer server;
  private final RtspConnection connection;
  private final Context context;
  private final String address;
  private final PublisherMeters meters;
  /** What each interleaved channel carries: a media index (RTP), a media index + {@link #RTCP}, or unused. */
  private final int[] channels = new int[256];
  private StreamKey key;
  private AuthRequest request;
  private FlvFromRtp media;
  /** The control attribute of each announced media, in order. */
  private List<String> controls = List.of();
  private boolean anySetUp;
  private PublishSession session;
  private Runnable unwatch = () -> { };
  private boolean ended;

  RtspPublish(RtspServer server, RtspConnection connection, Context context, String address) {
    this.server = server;
    this.connection = connection;
    this.context = context;
    this.address = address;
    this.meters = server.metrics().publisher(Protocol.RTSP);
    Arrays.fill(channels, UNUSED);
  }

  /**
   * Reads the announced SDP and asks auth; answers, then completes with whether the connection may set its tracks
   * up: 415 for a body that is not SDP, 400 for an SDP that does not parse, 415 too for one without a track to
   * read, 403 on an edge node or when auth refuses.
   */
  Future<Boolean> announce(RtspRequest req, RtspTarget target, String host) {
    key = new StreamKey(target.app(), target.name());
    String type = req.header("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/sdp")) {
      return refused(req, 415, "its ANNOUNCE carries " + (type == null ? "no Content-Type" : type) + ", not SDP");
    }
    if (!server.acceptsPublishers()) {
      return refused(req, 403, "this node is an edge: publish to an origin node");
    }
    SdpDescription sdp;
    try {
      sdp = SdpDescription.parse(new String(req.body(), StandardCharsets.UTF_8));
      media = new FlvFromRtp(sdp.media(), (int) server.config().maxFrameSize().bytes(), this::media);
    } catch (RtpFormatException bad) {
      return refused(req, bad.getMessage().startsWith("no H.264") ? 415 : 400, "its SDP: " + bad.getMessage());
    }
    controls = sdp.media().stream().map(SdpMedia::control).toList();
    request = new AuthRequest(AuthAction.PUBLISH, key, target.query(), host, address, Protocol.RTSP.label(), "");
    Promise<Boolean> allowed = Promise.promise();
    server.auth().check(request).onComplete(checked -> {
      if (ended) {
        allowed.complete(false);
      } else if (checked.failed() || !checked.result().allowed()) {
        server.metrics().refused(Refusal.AUTH);
        request = null;
        refused(req, 403, "auth: " + (checked.failed() ? checked.cause().getMessage() : checked.result().reason()))
            .onComplete(allowed);
      } else {
        key = checked.result().streamFor(key);
        connection.answer(200, req.cseq(), List.of(), null);
        allowed.complete(true);
      }
    });
    return allowed.future();
  }

  private Future<Boolean> refused(RtspRequest req, int status, String why) {
    REFUSED_LOG.info("rtsp {}: publish of {} refused: {}", address, key, why);
    connection.answer(status, req.cseq(), List.of(), null);
    return Future.succeededFuture(false);
  }

  /**
   * A SETUP of a track of the announced SDP, named by its URI: the ANNOUNCE's URI followed by the track's control
   * attribute (RFC 2326 §C.1.1), or that attribute when it is an absolute URI; RTP interleaved in record mode,
   * else 461; 404 for a URI that names no announced track.
   */
  void setup(RtspRequest req, String session) {
    int track = TrackControls.match(controls, req.uri());
    if (track < 0) {
      connection.answer(404, req.cseq(), List.of(), null);
      return;
    }
    TransportSpec chosen;
    try {
      String header = req.header("Transport");
      chosen = TransportSpec.parseAll(header == null ? "" : header).stream()
          .filter(spec -> spec.rtpOverTcp() && spec.unicast() && "record".equals(spec.mode()))
          .findFirst().orElse(null);
    } catch (RtspFormatException bad) {
      connection.answer(400, req.cseq(), List.of(), null);
      return;
    }
    if (chosen == null) {
      connection.answer(461, req.cseq(), List.of(), null); // ffmpeg asks again for TCP
      return;
    }
    int rtp = chosen.interleavedRtp() >= 0 ? chosen.interleavedRtp() : 2 * track;
    int rtcp = chosen.interleavedRtp() >= 0 ? chosen.interleavedRtcp() : rtp + 1;
    if (rtp > 255 || rtcp > 255 || channels[rtp] != UNUSED && channels[rtp] != track
        || channels[rtcp] != UNUSED && channels[rtcp] != (track | RTCP)) {
      connection.answer(461, req.cseq(), List.of(), null); // another track's channels
      return;
    }
    channels[rtp] = track;
    channels[rtcp] = track | RTCP;
    anySetUp = true;
    connection.answer(200, req.cseq(), List.of(
        Map.entry("Transport", "RTP/AVP/TCP;unicast;interleaved=" + rtp + "-" + rtcp + ";mode=record"),
        Map.entry("Session", session + ";timeout=" + RtspConnection.SESSION_TIMEOUT_SECONDS)), null);
  }

  boolean anySetUp() {
    return anySetUp;
  }

  /**
   * RECORD (§10.11): claims the stream, as any publisher does under {@code stream.publish-policy}; answers 200 and
   * completes with true once it is this connection's, or 403 when another publisher keeps it.
   */
  Future<Boolean> record(RtspRequest req, String sessionId) {
    Promise<Boolean> recording = Promise.promise();
    server.registry().claim(key, this, server.auth().credential(request)).onComplete(done -> {
      PublishSession claimed = done.succeeded() ? done.result().session() : null;
      if (ended) {
        if (claimed != null) {
          claimed.close();
        }
        recording.complete(false);
        return;
      }
      if (claimed == null) {
        if (done.succeeded() && done.result().refusal().isTakeover()) {
          server.metrics().refused(Refusal.TAKEOVER);
        }
        refused(req, 403, done.failed() ? done.cause().getMessage() : done.result().refusal().describe(key))
            .onComplete(recording);
        return;
      }
      session = claimed;
      meters.publisherStarted();
      unwatch = server.auth().watch(request, key, reason -> connection.close("auth: " + reason));
      connection.answer(200, req.cseq(), List.of(Map.entry("Session", sessionId)), null);
      PUBLISH_LOG.info("publish {} stream={} protocol=rtsp tracks={}", address, key, media.describe());
      recording.complete(true);
    });
    return recording.future();
  }

  /** An interleaved frame received while recording. */
  void frame(InterleavedFrame frame, long nowMillis) {
    meters.received(frame.length() + 4L);
    int entry = channels[frame.channel()];
    if (entry == UNUSED || session == null) {
      return;
    }
    if ((entry & RTCP) != 0) {
      media.rtcp(entry & ~RTCP, frame.data(), nowMillis);
    } else {
      media.rtp(entry, frame.data(), nowMillis);
    }
  }

  private void media(MediaKind kind, long timestamp, ByteBuf body) {
    if (session != null) {
      session.media(kind, timestamp, body);
    }
  }

  /** The connection ended: the frames still held go out, then the publish ends. */
  void end(String reason) {
    if (ended) {
      return;
    }
    ended = true;
    if (session != null) {
      media.end();
      STOP_LOG.info("unpublish {} stream={} reason={} malformed={} dropped={}", address, key, reason,
          media.malformed(), media.dropped());
      session.close();
      session = null;
      unwatch.run();
      server.auth().ended(request);
      meters.publisherStopped();
    }
  }

  StreamKey key() {
    return key;
  }

  // ---- the stream core's view ----

  @Override
  public void kick(String reason) {
    context.runOnContext(v -> connection.close(reason));
  }

  @Override
  public String peer() {
    return address;
  }
}
