package dev.streamedge.record;

import dev.streamedge.auth.CallbackMethod;
import dev.streamedge.log.RateLimitedLog;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientForm;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells {@code record.on-record-done} of each finished file, in nginx-rtmp's form: a form-encoded POST
 * of {@code call=record_done}, {@code app}, {@code name} (the stream key) and {@code path} (the file),
 * plus {@code recording}, the file's name in the API. The answer is not read; a failure is logged. At
 * most {@value #MAX_IN_FLIGHT} calls are open, each for at most {@value #TIMEOUT_MS} ms; further events
 * are dropped with a log line. All state lives on one context.
 */
final class RecordDoneCallback {

  private static final Logger LOG = LoggerFactory.getLogger(RecordDoneCallback.class);
  private static final RateLimitedLog FAILED_LOG = RateLimitedLog.of(LOG, "record callback failed");
  static final int MAX_IN_FLIGHT = 32;
  static final int TIMEOUT_MS = 5000;

  private final String url;
  private final Context context;
  /** Held so that the client and its pooled connections live as long as this object. */
  private final HttpClientAgent http;
  private final CallbackMethod method;
  private int inFlight;

  RecordDoneCallback(Vertx vertx, String url, CallbackMethod method) {
    this.url = url;
    this.method = method;
    this.context = vertx.getOrCreateContext();
    this.http = url.isEmpty() ? null : vertx.createHttpClient(
        new HttpClientOptions().setConnectTimeout(TIMEOUT_MS),
        new PoolOptions().setHttp1MaxSize(MAX_IN_FLIGHT).setMaxWaitQueueSize(MAX_IN_FLIGHT));
  }

  /** Posts the event for {@code name}, written at {@code path}; any thread. */
  void tell(RecordingName name, Path path) {
    if (http == null) {
      return;
    }
    context.runOnContext(v -> {
      if (inFlight >= MAX_IN_FLIGHT) {
        FAILED_LOG.warn("record callback {} dropped for {}: {} calls open", url, name, inFlight);
        return;
      }
      inFlight++;
      List<Map.Entry<String, String>> fields = List.of(Map.entry("call", "record_done"), Map.entry("app", name.app()),
          Map.entry("name", name.key()), Map.entry("path", path.toAbsolutePath().toString()),
          Map.entry("recording", name.toString()));
      ClientForm form = ClientForm.form();
      fields.forEach(field -> form.attribute(field.getKey(), field.getValue()));
      RequestOptions options = method == CallbackMethod.GET
          ? new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(CallbackMethod.withQuery(url, fields))
          : new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url);
      http.request(options.setIdleTimeout(TIMEOUT_MS))
          .compose(request -> method == CallbackMethod.GET ? request.send() : request.send(form))
          .compose(response -> response.end().map(response.statusCode()))
          .onComplete(done -> {
            inFlight--;
            if (done.failed()) {
              FAILED_LOG.warn("record callback {} for {} failed: {}", url, name, done.cause().toString());
            } else if (done.result() / 100 != 2) {
              FAILED_LOG.warn("record callback {} for {} answered {}", url, name, done.result());
            }
          });
    });
  }
}
