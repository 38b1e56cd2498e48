package dev.streamedge.metrics;

import dev.streamedge.net.ProxiedClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request meters of one HTTP listener, under the names and labels vertx-micrometer-metrics gives
 * them ({@code vertx_http_server_requests_total}, {@code _response_time_seconds}, {@code _request_bytes},
 * {@code _response_bytes}, {@code _active_requests}, {@code _request_resets_total}; labels {@code local},
 * {@code method}, {@code code}), so that dashboards and alerts read the same series.
 *
 * <p>Why not Vert.x's own: it builds the tags and looks five meters up in the registry by them at every
 * request, which profiles of 2000 HLS players put at 7% of the node's CPU and a sixth of its allocation
 * (bench/RESULTS.md). Here each meter is resolved once per listener, method and status, and a request
 * costs one small object. And it labels a request with whatever method the client sent: every made-up
 * method added eleven series for good. Here a method outside RFC 9110's and PATCH is {@code _OTHER} (the
 * value OpenTelemetry's HTTP conventions use), so the series stay bounded whatever clients send.
 *
 * <p>Connections, bytes and WebSockets stay with Vert.x's meters ({@code connections}). One instance
 * serves a listener's every event loop: the lazily resolved meters are published through atomic arrays,
 * and two loops resolving the same meter at once get the same one from the registry.
 */
final class HttpRequestMeters implements HttpServerMetrics<HttpRequestMeters.Request, Object, Object> {

  /** RFC 9110 §9.3's methods and PATCH (RFC 5789), in the order their meters are kept. */
  private static final HttpMethod[] METHODS = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
      HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.TRACE, HttpMethod.CONNECT};
  static final String OTHER_METHOD = "_OTHER";
  private static final int FIRST_STATUS = 100;
  private static final int STATUSES = 500;

  private final MeterRegistry registry;
  private final Tags local;
  private final HttpServerMetrics<Object, Object, Object> connections;
  /** Whether the listener reads PROXY protocol headers: its connections' metrics then carry the client. */
  private final boolean proxied;
  /** Per method of {@link #METHODS}, then {@code _OTHER}; resolved at a method's first request. */
  private final AtomicReferenceArray<MethodMeters> methods = new AtomicReferenceArray<>(METHODS.length + 1);

  @SuppressWarnings("unchecked")
  HttpRequestMeters(MeterRegistry registry, SocketAddress localAddress, HttpServerMetrics<?, ?, ?> connections,
      boolean proxied) {
    this.registry = registry;
    this.proxied = proxied;
    // vertx-micrometer's value of the label: the address as Vert.x prints it.
    this.local = Tags.of("local", localAddress == null ? "?" : localAddress.toString());
    this.connections = (HttpServerMetrics<Object, Object, Object>) connections;
  }

  private static int index(HttpMethod method) {
    for (int i = 0; i < METHODS.length; i++) {
      if (METHODS[i] == method) {
        return i;
      }
    }
    String name = method.name();
    for (int i = 0; i < METHODS.length; i++) {
      if (METHODS[i].name().equals(name)) {
        return i;
      }
    }
    return METHODS.length;
  }

  private MethodMeters meters(HttpMethod method) {
    int index = index(method);
    MethodMeters meters = methods.get(index);
    if (meters == null) {
      methods.compareAndSet(index, null,
          new MethodMeters(index, local.and("method", index < METHODS.length ? METHODS[index].name() : OTHER_METHOD)));
      meters = methods.get(index);
    }
    return meters;
  }

  private static double active(MethodMeters meters) {
    return meters == null ? 0 : meters.active.doubleValue();
  }

  @Override
  public Request requestBegin(Object socket, HttpRequest request) {
    return begin(request.method());
  }

  @Override
  public Request responsePushed(Object socket, HttpMethod method, String uri, HttpResponse response) {
    return begin(method);
  }

  private Request begin(HttpMethod method) {
    MethodMeters meters = meters(method);
    meters.active.increment();
    return new Request(meters, System.nanoTime());
  }

  @Override
  public void requestEnd(Request request, HttpRequest httpRequest, long bytesRead) {
    request.meters.requestBytes.record(bytesRead);
    request.requestEnded = true;
    if (!request.reset && request.responseEnded) {
      request.meters.active.decrement();
    }
  }

  @Override
  public void requestReset(Request request) {
    request.meters.resets.increment();
    request.meters.active.decrement();
    request.reset = true;
  }

  @Override
  public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
    StatusMeters status = request.meters.status(response.statusCode());
    status.requests.increment();
    status.time.record(System.nanoTime() - request.start, TimeUnit.NANOSECONDS);
    status.responseBytes.record(bytesWritten);
    request.responseEnded = true;
    if (!request.reset && request.requestEnded) {
      request.meters.active.decrement();
    }
  }

  @Override
  public Object connected(Object socket, Request request, ServerWebSocket webSocket) {
    // Vert.x's WebSocket gauge reads the connection's labels only.
    return connections.connected(ProxiedClient.unwrap(socket), null, webSocket);
  }

  @Override
  public void disconnected(Object webSocket) {
    connections.disconnected(webSocket);
  }

  @Override
  public Object connected(SocketAddress remoteAddress, String remoteName) {
    Object metric = connections.connected(remoteAddress, remoteName);
    // Behind a PROXY protocol balancer, remoteAddress is the client its header named (ProxiedClient).
    return proxied ? new ProxiedClient(metric, remoteAddress) : metric;
  }

  @Override
  public void disconnected(Object socket, SocketAddress remoteAddress) {
    connections.disconnected(ProxiedClient.unwrap(socket), remoteAddress);
  }

  @Override
  public void bytesRead(Object socket, SocketAddress remoteAddress, long bytes) {
    connections.bytesRead(ProxiedClient.unwrap(socket), remoteAddress, bytes);
  }

  @Override
  public void bytesWritten(Object socket, SocketAddress remoteAddress, long bytes) {
    connections.bytesWritten(ProxiedClient.unwrap(socket), remoteAddress, bytes);
  }

  @Override
  public void exceptionOccurred(Object socket, SocketAddress remoteAddress, Throwable error) {
    connections.exceptionOccurred(ProxiedClient.unwrap(socket), remoteAddress, error);
  }

  @Override
  public void close() {
    connections.close();
  }

  /** One request in flight: its method's meters, when it began, and how far it got. */
  static final class Request {
    private final MethodMeters meters;
    private final long start;
    private boolean requestEnded;
    private boolean responseEnded;
    private boolean reset;

    private Request(MethodMeters meters, long start) {
      this.meters = meters;
      this.start = start;
    }
  }

  /** The meters of one method on this listener; those of each status resolved at its first response. */
  private final class MethodMeters {
    private final Tags tags;
    private final LongAdder active = new LongAdder();
    private final DistributionSummary requestBytes;
    private final Counter resets;
    private final AtomicReferenceArray<StatusMeters> statuses = new AtomicReferenceArray<>(STATUSES);
    /** Statuses outside 100–599, which only the node's own code could set: few. */
    private final ConcurrentHashMap<Integer, StatusMeters> unusual = new ConcurrentHashMap<>();

    MethodMeters(int index, Tags tags) {
      this.tags = tags;
      // Two loops may build this at once and the registry keeps the first gauge: it reads the adder of
      // whichever instance won the slot, not its own builder's.
      Gauge.builder("vertx.http.server.active.requests", methods, slots -> active(slots.get(index)))
          .description("Number of requests being processed").tags(tags).strongReference(true).register(registry);
      requestBytes = DistributionSummary.builder("vertx.http.server.request.bytes")
          .description("Size of requests in bytes").tags(tags).register(registry);
      resets = Counter.builder("vertx.http.server.request.resets")
          .description("Number of request resets").tags(tags).register(registry);
    }

    StatusMeters status(int code) {
      int slot = code - FIRST_STATUS;
      if (slot < 0 || slot >= STATUSES) {
        return unusual.computeIfAbsent(code, c -> new StatusMeters(tags, c));
      }
      StatusMeters meters = statuses.get(slot);
      if (meters == null) {
        statuses.compareAndSet(slot, null, new StatusMeters(tags, code));
        meters = statuses.get(slot);
      }
      return meters;
    }
  }

  /** The meters of one method and status on this listener. */
  private final class StatusMeters {
    private final Counter requests;
    private final Timer time;
    private final DistributionSummary responseBytes;

    StatusMeters(Tags methodTags, int code) {
      Tags withCode = methodTags.and("code", Integer.toString(code));
      requests = Counter.builder("vertx.http.server.requests")
          .description("Number of processed requests").tags(withCode).register(registry);
      time = Timer.builder("vertx.http.server.response.time")
          .description("Request processing time").tags(withCode).register(registry);
      responseBytes = DistributionSummary.builder("vertx.http.server.response.bytes")
          .description("Size of responses in bytes").tags(withCode).register(registry);
    }
  }
}
