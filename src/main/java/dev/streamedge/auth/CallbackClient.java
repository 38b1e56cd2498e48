package dev.streamedge.auth;

import dev.streamedge.auth.CallbackAnswer.Verdict;
import dev.streamedge.config.AuthConfig;
import dev.streamedge.log.RateLimitedLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientForm;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the operator's auth service: a form-encoded POST (or a GET with the form as its query) per question,
 * non-blocking, each bounded by {@code auth.callback.timeout}, at most {@code auth.callback.max-in-flight}
 * open at once. Answers are kept for {@code auth.callback.cache-ttl}, and equal questions asked while one is
 * in flight share its call, so a crowd of HLS requests costs one call. All state lives on one context: no locks.
 */
final class CallbackClient {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackClient.class);
  private static final RateLimitedLog DROPPED_LOG = RateLimitedLog.of(LOG, "callback dropped");
  private static final RateLimitedLog FAILED_LOG = RateLimitedLog.of(LOG, "callback failed");

  private final Vertx vertx;
  private final Context context;
  /** Held so that the client and its pooled connections live as long as this object. */
  private final HttpClientAgent http;
  private final long timeoutMs;
  private final CallbackMethod method;
  private final int maxInFlight;
  private final AnswerCache<CallbackForm, CallbackAnswer> cache;
  private final Map<CallbackForm, Future<CallbackAnswer>> asking = new HashMap<>();
  private final LongAdder droppedEvents = new LongAdder();
  private int inFlight;

  CallbackClient(Vertx vertx, AuthConfig.Callback config) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.timeoutMs = config.timeout().toMillis();
    this.method = config.method();
    this.maxInFlight = config.maxInFlight();
    this.cache = new AnswerCache<>(config.cacheSize(), config.cacheTtl().toNanos());
    // The pool never makes a call wait behind others: in-flight calls are bounded below its size.
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeoutMs),
        new PoolOptions().setHttp1MaxSize(maxInFlight).setMaxWaitQueueSize(maxInFlight));
  }

  /** Asks {@code form}; completes, never fails, on this client's context. */
  Future<CallbackAnswer> ask(CallbackForm form) {
    Promise<Future<CallbackAnswer>> onContext = Promise.promise();
    context.runOnContext(v -> onContext.complete(askHere(form)));
    return onContext.future().compose(answer -> answer);
  }

  /**
   * Asks {@code form} afresh, neither cached nor shared (an update names a moment of one session); a DOWN
   * answer when {@code auth.callback.max-in-flight} calls are open. Completes, never fails, on this
   * client's context.
   */
  Future<CallbackAnswer> askUncached(CallbackForm form) {
    Promise<Future<CallbackAnswer>> onContext = Promise.promise();
    context.runOnContext(v -> onContext.complete(inFlight >= maxInFlight
        ? Future.succeededFuture(CallbackAnswer.down("auth.callback.max-in-flight (" + maxInFlight
            + ") calls already open"))
        : post(form)));
    return onContext.future().compose(answer -> answer);
  }

  /** Tells {@code form} and forgets it: the answer is not read, a failure is logged. */
  void tell(CallbackForm form) {
    context.runOnContext(v -> {
      if (inFlight >= maxInFlight) {
        droppedEvents.increment();
        DROPPED_LOG.warn("auth callback {} dropped: auth.callback.max-in-flight ({}) calls open", form.url(),
            maxInFlight);
        return;
      }
      post(form).onSuccess(answer -> {
        if (answer.verdict() == Verdict.DOWN) {
          FAILED_LOG.warn("auth callback {} failed: {}", form.url(), answer.detail());
        }
      });
    });
  }

  /** Done events dropped because too many calls were open. */
  long droppedEvents() {
    return droppedEvents.sum();
  }

  private Future<CallbackAnswer> askHere(CallbackForm form) {
    Optional<CallbackAnswer> cached = cache.get(form, System.nanoTime());
    if (cached.isPresent()) {
      return Future.succeededFuture(cached.get());
    }
    Future<CallbackAnswer> shared = asking.get(form);
    if (shared != null) {
      return shared;
    }
    if (inFlight >= maxInFlight) {
      return Future.succeededFuture(
          CallbackAnswer.down("auth.callback.max-in-flight (" + maxInFlight + ") calls already open"));
    }
    Future<CallbackAnswer> call = post(form).andThen(done -> {
      asking.remove(form);
      // A service that is down is asked again next time: only its real answers are kept.
      if (done.result().verdict() != Verdict.DOWN) {
        cache.put(form, done.result(), System.nanoTime());
      }
    });
    asking.put(form, call);
    return call;
  }

  /** One call, on this context; always succeeds, with a DOWN answer when no status came in time. */
  private Future<CallbackAnswer> post(CallbackForm form) {
    inFlight++;
    Promise<CallbackAnswer> answer = Promise.promise();
    HttpClientRequest[] request = new HttpClientRequest[1];
    long timer = vertx.setTimer(timeoutMs, id -> {
      // Drop the connection rather than leave it to a service that may never answer.
      if (answer.tryComplete(CallbackAnswer.down("no answer within " + timeoutMs + " ms")) && request[0] != null) {
        request[0].reset();
      }
    });
    ClientForm body = ClientForm.form();
    form.fields().forEach(field -> body.attribute(field.getKey(), field.getValue()));
    Future<HttpClientRequest> opened;
    try {
      RequestOptions options = method == CallbackMethod.GET
          ? new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(CallbackMethod.withQuery(form.url(),
              form.fields()))
          : new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(form.url());
      opened = http.request(options.setIdleTimeout(timeoutMs));
    } catch (RuntimeException e) {
      // A client closed with the node throws rather than fails: a done event sent while the node stops.
      opened = Future.failedFuture(e);
    }
    opened
        .compose(sent -> {
          if (answer.future().isComplete()) {
            // The connection came after the time was up: nobody waits for this question any more.
            sent.reset();
            return Future.failedFuture("too late");
          }
          request[0] = sent;
          return method == CallbackMethod.GET ? sent.send() : sent.send(body);
        })
        .onComplete(done -> {
          if (done.succeeded()) {
            HttpClientResponse response = done.result();
            // The body means nothing; reading it to its end frees the connection for the next call.
            response.end();
            answer.tryComplete(CallbackAnswer.ofResponse(response.statusCode(), response.getHeader("Location")));
          } else {
            answer.tryComplete(CallbackAnswer.down(String.valueOf(done.cause().getMessage())));
          }
        });
    return answer.future().andThen(done -> {
      vertx.cancelTimer(timer);
      inFlight--;
    });
  }
}
