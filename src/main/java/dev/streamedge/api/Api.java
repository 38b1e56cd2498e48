package dev.streamedge.api;

import dev.streamedge.cluster.StreamDirectory;
import dev.streamedge.config.ApiConfig;
import dev.streamedge.exec.ExecService;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.relay.RelayService;
import dev.streamedge.record.RecordService;
import dev.streamedge.session.ClientRegistry;
import dev.streamedge.session.SegmentSessions;
import dev.streamedge.stream.StreamRegistry;
import dev.streamedge.thumbnail.ThumbnailService;
import dev.streamedge.transcode.TranscodeService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API under {@code /api/v1}: streams and their thumbnails, clients, relays, transcoders, recordings,
 * stopping a stream and kicking a client,
 * as JSON, and nginx-rtmp's {@code /stat} and {@code /control/drop} for what was written against those, behind
 * {@link ApiAccess}. One per node, mounted on every HTTP verticle's router.
 */
public final class Api {

  private static final Logger LOG = LoggerFactory.getLogger(Api.class);
  private static final RateLimitedLog REFUSED_LOG = RateLimitedLog.of(LOG, "refused");

  private final boolean enabled;
  private final ApiAccess access;
  private final StreamsApi streams;
  private final ClientsApi clients;
  private final RelaysApi relays;
  private final RecordingsApi recordings;
  private final TranscodersApi transcoders;
  private final ExecApi exec;
  private final StatApi stat;
  private final ControlApi control;
  private final ThumbnailsApi thumbnails;
  private final boolean thumbnailsEnabled;

  /** {@code directory} is the cluster's stream directory, empty on a single node. */
  public Api(ApiConfig config, StreamRegistry registry, ClientRegistry clients, RelayService relays,
      Optional<StreamDirectory> directory, RecordService record, TranscodeService transcode,
      SegmentSessions hlsSessions, Metrics metrics, ExecService exec, ThumbnailService thumbnails) {
    this.enabled = config.enabled();
    this.access = new ApiAccess(config.token());
    this.streams = new StreamsApi(registry, directory, hlsSessions);
    this.clients = new ClientsApi(clients);
    this.relays = new RelaysApi(relays);
    this.recordings = new RecordingsApi(record.store());
    this.transcoders = new TranscodersApi(transcode);
    this.exec = new ExecApi(exec);
    this.stat = new StatApi(registry, clients, metrics);
    this.control = new ControlApi(clients, record);
    this.thumbnails = new ThumbnailsApi(thumbnails);
    this.thumbnailsEnabled = thumbnails.enabled();
  }

  /** Adds the API's routes to {@code router}, unless {@code api.enabled} is false. */
  public void mount(Router router) {
    if (!enabled) {
      return;
    }
    router.route("/api/*").handler(guard(false));
    router.get("/api/v1/streams").handler(streams::list);
    router.get("/api/v1/streams/:app/:key").handler(streams::get);
    router.delete("/api/v1/streams/:app/:key").handler(streams::stop);
    if (thumbnailsEnabled) {
      router.get("/api/v1/streams/:app/:key/thumbnail.jpg").handler(thumbnails::get);
    }
    router.get("/api/v1/clients").handler(clients::list);
    router.delete("/api/v1/clients/:id").handler(clients::kick);
    router.get("/api/v1/relays").handler(relays::list);
    router.get("/api/v1/transcoders").handler(transcoders::list);
    router.get("/api/v1/exec").handler(exec::list);
    router.get("/api/v1/recordings").handler(recordings::list);
    router.get("/api/v1/recordings/:app/:file").handler(recordings::download);
    router.delete("/api/v1/recordings/:app/:file").handler(recordings::delete);
    // nginx-rtmp's pages, where its guides put them (location /stat, location /control).
    router.route("/stat").handler(guard(false));
    router.get("/stat").handler(stat::get);
    router.route("/control/*").handler(guard(false));
    router.get("/control/drop/:kind").handler(control::drop);
    router.post("/control/drop/:kind").handler(control::drop);
    router.get("/control/redirect/:kind").handler(control::redirect);
    router.post("/control/redirect/:kind").handler(control::redirect);
    router.get("/control/record/:method").handler(control::record);
    router.post("/control/record/:method").handler(control::record);
  }

  /** Whether the API is served; the dashboard is not without it. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * The handler that lets only allowed requests through ({@link ApiAccess}). {@code browser}: a refusal
   * for a missing or wrong token asks for Basic credentials, so that a browser prompts its user for the
   * token (any user name), rather than for a Bearer token no browser can send.
   */
  public Handler<RoutingContext> guard(boolean browser) {
    return ctx -> guard(ctx, browser);
  }

  /** {@code GET /api/v1/streams}'s body, for the dashboard's feed. On a Vert.x context. */
  public Future<JsonObject> streams() {
    return streams.body();
  }

  /** {@code GET /api/v1/transcoders}'s body, for the dashboard's feed. */
  public JsonObject transcoders() {
    return transcoders.body();
  }

  /** {@code GET /api/v1/clients}'s body, for the dashboard's feed. On a Vert.x context. */
  public Future<JsonObject> clients() {
    return clients.body();
  }

  private void guard(RoutingContext ctx, boolean browser) {
    ApiAccess.Decision decision = access.check(ctx.request().remoteAddress(), ctx.request().getHeader("Authorization"));
    if (decision == ApiAccess.Decision.ALLOW) {
      ctx.next();
      return;
    }
    REFUSED_LOG.info("api: refused {} {} {} reason={}", ctx.request().remoteAddress(), ctx.request().method(),
        ctx.request().path(), decision);
    if (decision.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", (browser ? "Basic" : "Bearer") + " realm=\"streamedge\"");
    }
    Replies.json(ctx, decision.status(), ApiAccess.refusal(decision));
  }
}
