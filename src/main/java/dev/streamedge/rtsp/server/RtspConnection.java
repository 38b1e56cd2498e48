package dev.streamedge.rtsp.server;

import dev.streamedge.auth.AuthAction;
import dev.streamedge.auth.AuthRequest;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.rtsp.InterleavedFrame;
import dev.streamedge.rtsp.RtspFormatException;
import dev.streamedge.rtsp.RtspMessage;
import dev.streamedge.rtsp.RtspRequest;
import dev.streamedge.rtsp.RtspResponse;
import dev.streamedge.rtsp.RtspTarget;
import dev.streamedge.session.Client;
import dev.streamedge.session.ClientInfo;
import dev.streamedge.session.ClientRole;
import dev.streamedge.session.Protocol;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamNames;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import dev.streamedge.net.EventLoopSocket;
import dev.streamedge.net.LoopFlushes;
import dev.streamedge.net.WriteMerger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTSP client's connection (RFC 2326): requests read one at a time and answered in order, a session of up to
 * two tracks set up for RTP interleaved on this connection (§10.12), and while it plays, a {@link RtspPlayback}.
 * A malformed or oversized request is answered 400 (505 for another RTSP version) and closes the connection; a
 * request that must wait (DESCRIBE: auth, then the stream's tracks) holds the ones after it. On the
 * connection's context.
 */
final class RtspConnection implements Client {

  private static final Logger LOG = LoggerFactory.getLogger(RtspConnection.class);
  private static final RateLimitedLog BAD_LOG = RateLimitedLog.of(LOG, "bad request");
  private static final RateLimitedLog REFUSED_LOG = RateLimitedLog.of(LOG, "refused");
  private static final RateLimitedLog PLAY_LOG = RateLimitedLog.of(LOG, "play");
  private static final RateLimitedLog STOP_LOG = RateLimitedLog.of(LOG, "stop");
  private static final String PUBLIC = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER";
  /** The session timeout announced (§12.37): clients that keep sessions alive send a request within it. */
  private static final int SESSION_TIMEOUT_SECONDS = 60;

  /** NEW until a DESCRIBE was answered; READY with tracks described (and maybe set up); PLAYING; CLOSED. */
  enum State { NEW, DESCRIBING, READY, PLAYING, CLOSED }

  private final RtspServer server;
  private final EventLoopSocket socket;
  private final LoopFlushes flushes;
  /** Where media goes, merged per event-loop turn; set at start. */
  private WriteMerger merger;
  private final Context context;
  private final String address;
  private final RequestBuffer received;
  private final long connectedAtMillis = System.currentTimeMillis();
  private final String session = SessionIds.next();
  private State state = State.NEW;
  /** A request is being answered asynchronously: the ones after it wait. */
  private boolean busy;
  private long idleTimer = -1;
  private StreamKey key;
  private AuthRequest request;
  private Runnable unwatch = () -> { };
  /** The described tracks and which of them the client set up; null until DESCRIBE was answered. */
  private TrackSetup setup;
  private RtspPlayback playback;
  private long clientId = -1;
  private long bytesIn;

  RtspConnection(RtspServer server, EventLoopSocket socket, Context context, LoopFlushes flushes) {
    this.server = server;
    this.socket = socket;
    this.flushes = flushes;
    this.context = context;
    this.address = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().toString();
    this.received = new RequestBuffer((int) server.config().maxRequestSize().bytes());
  }

  void start() {
    socket.setWriteQueueMaxSize((int) server.player().socketWriteBuffer().bytes());
    socket.handler(this::received);
    socket.closeHandler(v -> closed("the client closed the connection"));
    socket.exceptionHandler(error -> LOG.debug("rtsp {}: {}", address, error.toString()));
    merger = WriteMerger.install(socket, () -> {
      if (playback != null) {
        playback.drain();
      }
    }, flushes);
    armIdle();
  }

  private void received(Buffer data) {
    bytesIn += data.length();
    received.append(data);
    readRequests();
  }

  /** Answers every whole request received, in order, until one must wait. */
  private void readRequests() {
    while (!busy && state != State.CLOSED) {
      RtspMessage message;
      try {
        message = received.next();
      } catch (RtspFormatException bad) {
        BAD_LOG.info("rtsp {}: bad request, closing: {}", address, bad.getMessage());
        server.metrics().refused(Refusal.BAD_INPUT);
        answer(bad.status(), -1, List.of(), null);
        close("bad request");
        return;
      }
      if (message == null) {
        break;
      }
      if (message instanceof RtspRequest req) {
        armIdle();
        handle(req);
      } else if (message instanceof InterleavedFrame) {
        armIdle(); // the client's RTCP receiver reports: it is there
      }
    }
    received.compact();
  }

  private void handle(RtspRequest req) {
    switch (req.method()) {
      case "OPTIONS" -> answer(200, req.cseq(), List.of(Map.entry("Public", PUBLIC)), null);
      case "DESCRIBE" -> describe(req);
      case "SETUP" -> setup(req);
      case "PLAY" -> play(req);
      case "PAUSE" -> pause(req);
      case "TEARDOWN" -> {
        answer(200, req.cseq(), List.of(Map.entry("Session", session)), null);
        close("teardown");
      }
      case "GET_PARAMETER", "SET_PARAMETER" -> answer(200, req.cseq(), sessionHeader(), null);
      case "ANNOUNCE", "RECORD" -> answer(501, req.cseq(), List.of(Map.entry("Public", PUBLIC)), null);
      default -> answer(405, req.cseq(), List.of(Map.entry("Allow", PUBLIC)), null);
    }
  }

  private void describe(RtspRequest req) {
    RtspTarget target = target(req);
    if (target == null) {
      return;
    }
    if (state != State.NEW) {
      answer(455, req.cseq(), List.of(), null); // one stream per connection
      return;
    }
    key = new StreamKey(target.app(), target.name());
    request = new AuthRequest(AuthAction.PLAY, key, target.query(), host(), address, Protocol.RTSP.label(), "");
    state = State.DESCRIBING;
    busy = true;
    socket.doPause(); // what comes meanwhile waits in the kernel, not here
    server.auth().check(request).onComplete(checked -> {
      if (state == State.CLOSED) {
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
      unwatch = server.auth().watch(request, reason -> close("auth: " + reason));
      TrackProbe.of(context, server.registry(), key, server.config().describeTimeout().toMillis())
          .onComplete(probed -> described(req, target, probed.succeeded() ? probed.result() : null));
    });
  }

  private void described(RtspRequest req, RtspTarget target, TrackProbe.Tracks found) {
    if (state == State.CLOSED) {
      return;
    }
    if (found == null) {
      REFUSED_LOG.info("rtsp {}: {} is not live with an H.264, HEVC or AAC track", address, key);
      refuse(req, 404);
      return;
    }
    setup = new TrackSetup(found);
    state = State.READY;
    String contentBase = SessionIds.contentBase(req.uri());
    String sdp = found.sdp(key, socket.localAddress() == null ? "0.0.0.0" : socket.localAddress().hostAddress());
    answer(200, req.cseq(), List.of(Map.entry("Content-Base", contentBase),
        Map.entry("Content-Type", "application/sdp")), sdp.getBytes(StandardCharsets.US_ASCII));
    resume();
  }

  private void refuse(RtspRequest req, int status) {
    state = State.NEW;
    unwatch.run();
    unwatch = () -> { };
    answer(status, req.cseq(), List.of(), null);
    resume();
  }

  private void setup(RtspRequest req) {
    RtspTarget target = target(req);
    if (target == null || !sessionMatches(req)) {
      return;
    }
    if (state != State.READY || !new StreamKey(target.app(), target.name()).equals(key) && !describedAs(target)) {
      answer(455, req.cseq(), List.of(), null);
      return;
    }
    TrackSetup.Answer set = target.track() < 0 ? new TrackSetup.Answer(404, null)
        : setup.setup(target.track(), req.header("Transport"), RtspPlayback.ssrc(session, target.track()));
    answer(set.status(), req.cseq(), set.status() != 200 ? List.of() : List.of(Map.entry("Transport", set.transport()),
        Map.entry("Session", session + ";timeout=" + SESSION_TIMEOUT_SECONDS)), null);
  }

  private void play(RtspRequest req) {
    if (!sessionMatches(req)) {
      return;
    }
    if (state == State.PLAYING) {
      answer(200, req.cseq(), sessionHeader(), null); // a repeated PLAY of a live stream changes nothing
      return;
    }
    if (state != State.READY || !setup.any()) {
      answer(455, req.cseq(), List.of(), null);
      return;
    }
    if (clientId < 0) {
      clientId = server.clients().add(this);
      if (clientId < 0) {
        answer(503, req.cseq(), List.of(), null);
        close("the node's clients are at their limit");
        return;
      }
    }
    state = State.PLAYING;
    cancelIdle(); // a player's liveness is its socket's: a dead one stops taking writes
    answer(200, req.cseq(), List.of(Map.entry("Session", session), Map.entry("Range", "npt=0.000-")), null);
    playback = new RtspPlayback(server, merger, context, session, key, setup.channel(0), setup.channel(1),
        this::close);
    playback.start();
    PLAY_LOG.info("play {} stream={} protocol=rtsp", address, key);
  }

  private void pause(RtspRequest req) {
    if (!sessionMatches(req)) {
      return;
    }
    if (state == State.PLAYING) {
      playback.stop();
      playback = null;
      state = State.READY;
      armIdle();
    }
    answer(200, req.cseq(), sessionHeader(), null);
  }

  // ---- helpers ----

  /** The request's target, or null when it was answered 400 (or 404 for a name no stream can have). */
  private RtspTarget target(RtspRequest req) {
    try {
      RtspTarget target = RtspTarget.parse(req.uri());
      if (!StreamNames.valid(target.app()) || !StreamNames.valid(target.name())) {
        answer(404, req.cseq(), List.of(), null);
        return null;
      }
      return target;
    } catch (RtspFormatException bad) {
      answer(400, req.cseq(), List.of(), null);
      return null;
    }
  }

  /** Whether a SETUP names the stream described before it, under the name auth gave it. */
  private boolean describedAs(RtspTarget target) {
    return request != null && request.key().equals(new StreamKey(target.app(), target.name()));
  }

  /** A request naming another session is answered 454 (§11.3.12); one naming none is taken as this one's. */
  private boolean sessionMatches(RtspRequest req) {
    if (!SessionIds.names(req, session)) {
      answer(454, req.cseq(), List.of(), null);
      return false;
    }
    return true;
  }

  private List<Map.Entry<String, String>> sessionHeader() {
    return state == State.NEW ? List.of() : List.of(Map.entry("Session", session));
  }

  private String host() {
    return socket.remoteAddress() == null ? "" : socket.remoteAddress().hostAddress();
  }

  private void answer(int status, int cseq, List<Map.Entry<String, String>> headers, byte[] body) {
    if (state == State.CLOSED) {
      return;
    }
    List<Map.Entry<String, String>> all = new ArrayList<>(headers.size() + 1);
    all.add(Map.entry("Server", "streamedge"));
    all.addAll(headers);
    socket.write(WireBuffers.wrap(RtspResponse.encode(status, cseq, all, body == null ? new byte[0] : body)));
  }

  private void resume() {
    busy = false;
    socket.doResume();
    context.runOnContext(v -> readRequests());
  }

  private void armIdle() {
    cancelIdle();
    if (state != State.PLAYING && state != State.CLOSED) {
      idleTimer = context.owner().setTimer(server.config().idleTimeout().toMillis(), id -> {
        idleTimer = -1;
        if (state != State.PLAYING) {
          server.metrics().refused(Refusal.IDLE_TIMEOUT);
          close("idle for " + server.config().idleTimeout().toMillis() + " ms");
        }
      });
    }
  }

  private void cancelIdle() {
    if (idleTimer >= 0) {
      context.owner().cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }

  /** Closes the connection, once, with what was written before going out first. */
  void close(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    socket.close();
    // Vert.x's close waits until what was written went out, which a client that reads nothing never lets
    // happen: its socket and buffers would outlive the connection.
    merger.closeWithin(server.player().maxBehind());
    closed(reason);
  }

  private void closed(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    boolean played = state == State.PLAYING || playback != null;
    state = State.CLOSED;
    cancelIdle();
    if (playback != null) {
      playback.stop();
    }
    if (played) {
      STOP_LOG.info("stop {} stream={} protocol=rtsp reason={} dropped={}", address, key, reason,
          playback == null ? 0 : playback.dropped());
    }
    unwatch.run();
    if (request != null && played) {
      server.auth().ended(request);
    }
    if (clientId >= 0) {
      server.clients().remove(clientId);
    }
    server.open().decrementAndGet();
  }

  // ---- the API's view ----

  @Override
  public Context context() {
    return context;
  }

  @Override
  public ClientInfo info() {
    return new ClientInfo(clientId, Protocol.RTSP.label(), ClientRole.PLAYER, address, key, connectedAtMillis,
        bytesIn, playback == null ? 0 : playback.bytesOut(), "", playback == null ? 0 : playback.dropped());
  }

  @Override
  public void kick(String reason) {
    context.runOnContext(v -> close(reason));
  }
}
