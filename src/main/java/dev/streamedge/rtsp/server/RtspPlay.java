package dev.streamedge.rtsp.server;

import dev.streamedge.auth.AuthAction;
import dev.streamedge.auth.AuthRequest;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.net.WriteMerger;
import dev.streamedge.rtsp.RtspRequest;
import dev.streamedge.rtsp.RtspTarget;
import dev.streamedge.rtsp.server.RtspConnection.State;
import dev.streamedge.session.Protocol;
import dev.streamedge.stream.StreamKey;
import io.vertx.core.Context;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The playing side of an RTSP connection (RFC 2326 §10.2 DESCRIBE, §10.4 SETUP, §10.5 PLAY, §10.6 PAUSE): auth asked
 * at DESCRIBE, which waits for the stream's tracks ({@link TrackProbe}) and answers with their SDP; each track set up
 * for RTP interleaved on the connection ({@link TrackSetup}); PLAY starts an {@link RtspPlayback}. On the
 * connection's context.
 */
final class RtspPlay {

  private static final Logger LOG = LoggerFactory.getLogger(RtspPlay.class);
  private static final RateLimitedLog REFUSED_LOG = RateLimitedLog.of(LOG, "refused");
  private static final RateLimitedLog PLAY_LOG = RateLimitedLog.of(LOG, "play");
  private static final RateLimitedLog STOP_LOG = RateLimitedLog.of(LOG, "stop");

  private final RtspServer server;
  private final RtspConnection connection;
  private final Context context;
  private final String address;
  private final String session;
  private StreamKey key;
  private AuthRequest request;
  private Runnable unwatch = () -> { };
  /** The described tracks and which of them the client set up; null until DESCRIBE was answered. */
  private TrackSetup setup;
  private RtspPlayback playback;
  private boolean played;

  RtspPlay(RtspServer server, RtspConnection connection, Context context, String address, String session) {
    this.server = server;
    this.connection = connection;
    this.context = context;
    this.address = address;
    this.session = session;
  }

  /** DESCRIBE: auth, then the stream's tracks; the requests after it wait (the connection is held). */
  void describe(RtspRequest req, RtspTarget target, String host, String localHost) {
    key = new StreamKey(target.app(), target.name());
    request = new AuthRequest(AuthAction.PLAY, key, target.query(), host, address, Protocol.RTSP.label(), "");
    connection.state(State.DESCRIBING);
    connection.hold();
    server.auth().check(request).onComplete(checked -> {
      if (connection.state() == State.CLOSED) {
        return;
      }
      if (checked.failed() || !checked.result().allowed()) {
        REFUSED_LOG.info("rtsp {}: play of {} refused: {}", address, key,
            checked.failed() ? checked.cause().getMessage() : checked.result().reason());
        request = null;
        refuse(req, 403);
        return;
      }
      if (!checked.result().redirect().isEmpty()) {
        server.registry().redirected(key, checked.result().redirect());
      }
      key = checked.result().streamFor(key);
      unwatch = server.auth().watch(request, reason -> connection.close("auth: " + reason));
      TrackProbe.of(context, server.registry(), key, server.config().describeTimeout().toMillis())
          .onComplete(probed -> described(req, probed.succeeded() ? probed.result() : null, localHost));
    });
  }

  private void described(RtspRequest req, TrackProbe.Tracks found, String localHost) {
    if (connection.state() == State.CLOSED) {
      return;
    }
    if (found == null) {
      REFUSED_LOG.info("rtsp {}: {} is not live with an H.264, HEVC, AAC or G.711 track", address, key);
      refuse(req, 404);
      return;
    }
    setup = new TrackSetup(found);
    connection.state(State.READY);
    String sdp = found.sdp(key, localHost);
    connection.answer(200, req.cseq(), List.of(Map.entry("Content-Base", SessionIds.contentBase(req.uri())),
        Map.entry("Content-Type", "application/sdp")), sdp.getBytes(StandardCharsets.US_ASCII));
    connection.resume();
  }

  private void refuse(RtspRequest req, int status) {
    connection.state(State.NEW);
    unwatch.run();
    unwatch = () -> { };
    connection.answer(status, req.cseq(), List.of(), null);
    connection.resume();
  }

  /** SETUP of a described track: RTP interleaved for play, else 461; 455 for a stream not described. */
  void setup(RtspRequest req, RtspTarget target) {
    StreamKey named = new StreamKey(target.app(), target.name());
    if (connection.state() != State.READY || !named.equals(key) && (request == null || !request.key().equals(named))) {
      connection.answer(455, req.cseq(), List.of(), null);
      return;
    }
    TrackSetup.Answer set = target.track() < 0 ? new TrackSetup.Answer(404, null)
        : setup.setup(target.track(), req.header("Transport"), RtspPlayback.ssrc(session, target.track()));
    connection.answer(set.status(), req.cseq(), set.status() != 200 ? List.of() : List.of(
        Map.entry("Transport", set.transport()),
        Map.entry("Session", session + ";timeout=" + RtspConnection.SESSION_TIMEOUT_SECONDS)), null);
  }

  /** PLAY: a player of the stream, its packets sent as RTP on the set-up tracks' channels. */
  void play(RtspRequest req, WriteMerger merger) {
    if (connection.state() == State.PLAYING) {
      // a repeated PLAY of a live stream changes nothing
      connection.answer(200, req.cseq(), List.of(Map.entry("Session", session)), null);
      return;
    }
    if (connection.state() != State.READY || !setup.any()) {
      connection.answer(455, req.cseq(), List.of(), null);
      return;
    }
    if (!connection.register(req)) {
      return;
    }
    connection.state(State.PLAYING);
    played = true;
    connection.answer(200, req.cseq(), List.of(Map.entry("Session", session), Map.entry("Range", "npt=0.000-")),
        null);
    playback = new RtspPlayback(server, merger, context, session, key, setup.channel(0), setup.channel(1),
        setup.audioPayloadType(), connection::close);
    playback.start();
    PLAY_LOG.info("play {} stream={} protocol=rtsp", address, key);
  }

  /** PAUSE: the player stops; a PLAY starts another. */
  void pause() {
    if (playback != null) {
      playback.stop();
      playback = null;
      connection.state(State.READY);
    }
  }

  /** Sends what the player has queued, when the socket can take it. */
  void drain() {
    if (playback != null) {
      playback.drain();
    }
  }

  /** The connection ended. */
  void end(String reason) {
    if (playback != null) {
      playback.stop();
    }
    if (played) {
      STOP_LOG.info("stop {} stream={} protocol=rtsp reason={} dropped={}", address, key, reason, dropped());
    }
    unwatch.run();
    if (request != null && played) {
      server.auth().ended(request);
    }
  }

  StreamKey key() {
    return key;
  }

  long bytesOut() {
    return playback == null ? 0 : playback.bytesOut();
  }

  long dropped() {
    return playback == null ? 0 : playback.dropped();
  }
}
