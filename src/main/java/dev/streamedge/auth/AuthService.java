package dev.streamedge.auth;

import dev.streamedge.auth.CallbackAnswer.Verdict;
import dev.streamedge.config.AuthConfig;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.net.EventLoops;
import dev.streamedge.stream.StreamKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may publish and play, one node-wide instance for every protocol: each app's mode from
 * {@code auth.publish} / {@code auth.play} picks the check (none, static keys, signed URL, or the
 * operator's HTTP callback). Every refusal is logged on one line and counted.
 */
public final class AuthService {

  private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);
  private static final RateLimitedLog REFUSED_LOG = RateLimitedLog.of(LOG, "refused");
  private static final RateLimitedLog ALLOWED_DOWN_LOG = RateLimitedLog.of(LOG, "allowed while down");
  private static final RateLimitedLog UPDATE_DOWN_LOG = RateLimitedLog.of(LOG, "update down");
  /** Our form fields; query arguments of these names are left out so a client cannot pose as another. */
  private static final Set<String> FORM_FIELDS = Set.of("call", "app", "name", "addr", "proto", "tcurl", "time");
  /** Most characters of query and tcUrl together in a checked request: see {@link QueryArgs#MAX_CHARS}. */
  static final int MAX_QUERY_CHARS = QueryArgs.MAX_CHARS;

  private final AuthRules publishRules;
  private final AuthRules playRules;
  private final PublishKeys keys;
  private final AppAddressRules publishAddresses;
  private final AppAddressRules playAddresses;
  private final String publishSecret;
  private final String playSecret;
  private final AuthConfig.Callback callback;
  /** Null when no callback URL is configured. */
  private final CallbackClient callbacks;
  /** Null when {@code auth.callback.on-connect} is not set. */
  private final ConnectCallbacks connects;
  private final LongAdder refused = new LongAdder();
  private final Runnable onRefused;
  private final Vertx vertx;
  private volatile PublishReservations reservations = PublishReservations.NONE;
  private volatile SessionListener sessions = SessionListener.NONE;

  /** @param onRefused told of every refusal, on the thread that decided it (the metrics count them) */
  public AuthService(Vertx vertx, AuthConfig config, Runnable onRefused) {
    this.onRefused = onRefused;
    this.publishRules = config.publishRules();
    this.playRules = config.playRules();
    this.publishAddresses = config.publishAddresses();
    this.playAddresses = config.playAddresses();
    this.keys = new PublishKeys(config.publishKeyList());
    this.publishSecret = config.publishSecret();
    this.playSecret = config.playSecret();
    this.callback = config.callback();
    this.vertx = vertx;
    boolean anyUrl = Stream.of(callback.onPublish(), callback.onPlay(), callback.onPublishDone(),
        callback.onPlayDone(), callback.onDone(), callback.onUpdate(), callback.onConnect(), callback.onDisconnect())
        .anyMatch(url -> !url.isEmpty());
    this.callbacks = anyUrl ? new CallbackClient(vertx, callback) : null;
    this.connects = callback.onConnect().isEmpty() ? null : new ConnectCallbacks(callbacks, callback, this::refusedOne);
  }

  /** Names whose publishes {@code reserved} decides before the app's rules: set once, at start-up. */
  public void reserve(PublishReservations reserved) {
    this.reservations = reserved;
  }

  /** Who hears of every allowed session's start and end: set once, at start-up. */
  public void listen(SessionListener listener) {
    this.sessions = listener;
  }

  /**
   * Whether {@code addr} (an IP address's text) may publish or play in {@code app} by {@code auth.publish-access}
   * or {@code auth.play-access}; true without a look when the app's list is empty. Any thread.
   */
  public boolean addressAllowed(AuthAction action, String app, String addr) {
    return (action == AuthAction.PUBLISH ? publishAddresses : playAddresses).allows(app, addr);
  }

  /** Whether any address is kept from playing in {@code app}: HLS requests of apps whose plays are not checked ask. */
  public boolean checksPlayAddresses(String app) {
    return !playAddresses.of(app).open();
  }

  /** Whether plays of {@code app} are checked: HLS playlists then pass their query on to segment URIs. */
  public boolean checksPlay(String app) {
    return playRules.modeOf(app) != AuthMode.NONE;
  }

  /**
   * Checks a publish or play. Completes on the caller's context, and never fails: a refusal is a
   * decision, already logged and counted. Keys and signatures are checked at once; a callback takes
   * the time the service takes, up to {@code auth.callback.timeout}.
   */
  public Future<AuthDecision> check(AuthRequest request) {
    if (request.action() == AuthAction.PUBLISH) {
      Optional<AuthDecision> reserved = reservations.decide(request);
      if (reserved.isPresent()) {
        return Future.succeededFuture(judged(request, reserved.get()));
      }
    }
    // nginx-rtmp's allow/deny lines come before its on_publish and on_play; the node's own publishers
    // (transcoder renditions) were decided above.
    if (!addressAllowed(request.action(), request.key().app(), request.addr())) {
      return Future.succeededFuture(judged(request, AuthDecision.refuse("address " + request.addr()
          + " not allowed by auth." + (request.action() == AuthAction.PUBLISH ? "publish" : "play") + "-access")));
    }
    AuthMode mode = (request.action() == AuthAction.PUBLISH ? publishRules : playRules).modeOf(request.key().app());
    if (mode == AuthMode.NONE) {
      return Future.succeededFuture(AuthDecision.ALLOW);
    }
    List<Map.Entry<String, String>> args;
    try {
      args = QueryArgs.checked(request.query(), request.tcUrl());
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(judged(request, AuthDecision.refuse(e.getMessage())));
    }
    return switch (mode) {
      case NONE -> Future.succeededFuture(AuthDecision.ALLOW);
      case KEYS -> Future.succeededFuture(judged(request, keys.verify(QueryArgs.first(args, "key").orElse(null))));
      case SIGN -> Future.succeededFuture(judged(request, SignedUrls.verify(
          request.action() == AuthAction.PUBLISH ? publishSecret : playSecret, request.key(),
          QueryArgs.first(args, "sign").orElse(null), System.currentTimeMillis() / 1000)));
      case CALLBACK -> askCallback(request, args);
    };
  }

  /**
   * What an allowed publish presented to its app's mode: the key of mode keys, the signature of mode
   * sign, the whole query for mode callback (the service decided on it); empty with mode none, where
   * nothing was presented. Under the takeover policy a publisher presenting the same credential as the
   * key's publisher is the same encoder coming back, and may take over at once.
   */
  public String credential(AuthRequest request) {
    return switch (publishRules.modeOf(request.key().app())) {
      case NONE -> "";
      case KEYS -> argument(request, "key");
      case SIGN -> argument(request, "sign");
      case CALLBACK -> request.query();
    };
  }

  private static String argument(AuthRequest request, String name) {
    try {
      return QueryArgs.first(QueryArgs.parse(request.query()), name).orElse("");
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /**
   * nginx-rtmp's on_update: while {@code session} (an allowed publish, or an RTMP or FLV play) lasts, asks
   * {@code auth.callback.on-update} about it every {@code auth.callback.update-interval}, with {@code
   * call=update_publish} or {@code update_play} and {@code time}, its seconds so far. An answer other than 2xx
   * calls {@code end} with the reason, on the caller's context, and asks no more; a service that is down or
   * slow ends nothing. Call it on the session's context; run what it returns when the session ends (a no-op
   * when no URL is set). One timer per session, and at most {@code auth.callback.max-in-flight} calls open.
   */
  public Runnable watch(AuthRequest session, Consumer<String> end) {
    return watch(session, session.key(), end);
  }

  /**
   * As {@link #watch(AuthRequest, Consumer)}, for a session on {@code stream}, which a publish callback's rename
   * made other than the session's key. Also tells the {@link SessionListener} the session started.
   */
  public Runnable watch(AuthRequest session, StreamKey stream, Consumer<String> end) {
    sessions.started(session, stream);
    if (callbacks == null || callback.onUpdate().isEmpty()) {
      return () -> { };
    }
    List<Map.Entry<String, String>> args = doneArgs(session);
    String call = session.action() == AuthAction.PUBLISH ? "update_publish" : "update_play";
    long started = System.nanoTime();
    boolean[] over = new boolean[1];
    long[] timer = new long[1];
    timer[0] = vertx.setPeriodic(callback.updateInterval().toMillis(), id -> {
      CallbackForm form = form(callback.onUpdate(), call, session, args);
      List<Map.Entry<String, String>> fields = new ArrayList<>(form.fields());
      fields.add(Map.entry("time", Long.toString((System.nanoTime() - started) / 1_000_000_000L)));
      Context context = Vertx.currentContext();
      callbacks.askUncached(new CallbackForm(form.url(), fields)).onComplete(done -> context.runOnContext(v -> {
        CallbackAnswer answer = done.result();
        if (over[0] || answer.verdict() == Verdict.ALLOW) {
          return;
        }
        if (answer.verdict() == Verdict.DOWN) {
          UPDATE_DOWN_LOG.warn("{} {} stream={} goes on: on_update down ({})", call, session.peer(), session.key(),
              answer.detail());
          return;
        }
        over[0] = true;
        vertx.cancelTimer(timer[0]);
        refused.increment();
        onRefused.run();
        REFUSED_LOG.info("{} ended {} stream={} protocol={} reason=auth: on_update answered {}", call, session.peer(),
            session.key(), session.protocol(), answer.detail());
        end.accept("on_update answered " + answer.detail());
      }));
    });
    return () -> {
      over[0] = true;
      vertx.cancelTimer(timer[0]);
    };
  }

  /** Whether RTMP connects are asked about ({@code auth.callback.on-connect}): else they are answered at once. */
  public boolean checksConnects() {
    return connects != null;
  }

  /** See {@link ConnectCallbacks#connect}; only when {@link #checksConnects()}. */
  public Future<AuthDecision> connect(ConnectRequest request) {
    return connects.connect(request);
  }

  /** See {@link ConnectCallbacks#disconnected}. */
  public void disconnected(ConnectRequest request, long clientId) {
    if (callbacks != null && !callback.onDisconnect().isEmpty()) {
      ConnectCallbacks.disconnected(callbacks, callback.onDisconnect(), request, clientId);
    }
  }

  /** Tells the done callbacks that an allowed publish or play ended; nothing waits for them. */
  public void ended(AuthRequest request) {
    sessions.ended(request);
    if (callbacks == null) {
      return;
    }
    List<Map.Entry<String, String>> args = doneArgs(request);
    boolean publish = request.action() == AuthAction.PUBLISH;
    String doneUrl = publish ? callback.onPublishDone() : callback.onPlayDone();
    if (!doneUrl.isEmpty()) {
      callbacks.tell(form(doneUrl, publish ? "publish_done" : "play_done", request, args));
    }
    if (!callback.onDone().isEmpty()) {
      callbacks.tell(form(callback.onDone(), "done", request, args));
    }
  }

  /** The query's arguments of an allowed session, for its events; none when they cannot be read. */
  private static List<Map.Entry<String, String>> doneArgs(AuthRequest request) {
    return QueryArgs.lenient(request.query(), request.tcUrl());
  }

  /** Publishes and plays refused since the start, for every reason of this service. */
  public long refusedTotal() {
    return refused.sum();
  }

  /** Done events not sent because {@code auth.callback.max-in-flight} calls were open. */
  public long droppedCallbackEvents() {
    return callbacks == null ? 0 : callbacks.droppedEvents();
  }

  private Future<AuthDecision> askCallback(AuthRequest request, List<Map.Entry<String, String>> args) {
    Context caller = Vertx.currentContext();
    String url = request.action() == AuthAction.PUBLISH ? callback.onPublish() : callback.onPlay();
    return callbacks.ask(form(url, request.action().call(), request, args)).compose(answer -> {
      AuthDecision decision = switch (answer.verdict()) {
        case ALLOW -> AuthDecision.ALLOW;
        // nginx-rtmp's 3xx with an RTMP URL: a play's stream is pulled from there, a publish's pushed there.
        case REDIRECT -> AuthDecision.redirect(answer.location());
        // nginx-rtmp's 3xx with a name: the stream key stays between the encoder and the service, and
        // viewers play the name the service gives; a play's name (a ticket, an alias) maps to a stream.
        case RENAME -> AuthDecision.rename(answer.location());
        case DENY -> AuthDecision.refuse("callback answered " + answer.detail());
        case DOWN -> {
          if (callback.whenDown() == DownAnswer.ALLOW) {
            ALLOWED_DOWN_LOG.warn(
                "{} allowed {} stream={} protocol={} reason=callback down ({}), auth.callback.when-down=allow",
                request.action().call(), request.peer(), request.key(), request.protocol(), answer.detail());
            yield AuthDecision.ALLOW;
          }
          yield AuthDecision.refuse("callback down (" + answer.detail() + ")");
        }
      };
      return EventLoops.backTo(caller, judged(request, decision));
    });
  }

  /** Counts one refusal, of any kind, for the metrics. */
  private void refusedOne() {
    refused.increment();
    onRefused.run();
  }

  private AuthDecision judged(AuthRequest request, AuthDecision decision) {
    if (!decision.allowed()) {
      refusedOne();
      REFUSED_LOG.info("{} refused {} stream={} protocol={} reason=auth: {}", request.action().call(),
          request.peer(), request.key(), request.protocol(), decision.reason());
    }
    return decision;
  }

  /**
   * The nginx-rtmp form: call, app, name, addr, then ours (proto, tcurl), then the request's session fields,
   * then the query's arguments but those named like a field.
   */
  private static CallbackForm form(String url, String call, AuthRequest request, List<Map.Entry<String, String>> args) {
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    fields.add(Map.entry("call", call));
    fields.add(Map.entry("app", request.key().app()));
    fields.add(Map.entry("name", request.key().name()));
    fields.add(Map.entry("addr", request.addr()));
    fields.add(Map.entry("proto", request.protocol()));
    if (!request.tcUrl().isEmpty()) {
      fields.add(Map.entry("tcurl", request.tcUrl()));
    }
    fields.addAll(request.session());
    args.stream().filter(arg -> !FORM_FIELDS.contains(arg.getKey()) && !named(request.session(), arg.getKey()))
        .forEach(fields::add);
    return new CallbackForm(url, fields);
  }

  private static boolean named(List<Map.Entry<String, String>> fields, String name) {
    for (Map.Entry<String, String> field : fields) {
      if (field.getKey().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
