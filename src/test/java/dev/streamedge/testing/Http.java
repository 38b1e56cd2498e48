package dev.streamedge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The tests' HTTP client: one JDK client for the whole run, every request bounded. A response must
 * start within {@link #TIMEOUT} unless the request says otherwise ({@link #request} returns a builder
 * to change it, e.g. for a playlist request that waits for its first segment). Headers are given as
 * name, value pairs.
 */
public final class Http {

  public static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {
  }

  /** A GET of {@code url} with the default timeout, to change or send with {@link #send}. */
  public static HttpRequest.Builder request(String url, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return request;
  }

  public static HttpResponse<String> get(String url, String... headers) throws IOException, InterruptedException {
    return send(request(url, headers), HttpResponse.BodyHandlers.ofString());
  }

  public static HttpResponse<byte[]> getBytes(String url, String... headers) throws IOException, InterruptedException {
    return send(request(url, headers), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A GET whose body is read as it comes, such as an HTTP-FLV stream; close the body when done. */
  public static HttpResponse<InputStream> getStream(String url, String... headers)
      throws IOException, InterruptedException {
    return send(request(url, headers), HttpResponse.BodyHandlers.ofInputStream());
  }

  /**
   * The whole answer, head and body, to {@code GET target} written as it is on a connection of its own to
   * 127.0.0.1:{@code port}: for targets the JDK client refuses to send, such as a broken %-escape.
   */
  public static String rawGet(int port, String target) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  public static HttpResponse<String> delete(String url, String... headers) throws IOException, InterruptedException {
    return send(request(url, headers).DELETE(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The status of a GET of {@code url}, or -1 when nothing answers (not listening yet, or gone). The
   * body is not read: it may be a live stream that never ends.
   */
  public static int status(String url) throws InterruptedException {
    try {
      HttpResponse<InputStream> response = getStream(url);
      response.body().close();
      return response.statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  public static <T> HttpResponse<T> send(HttpRequest.Builder request, BodyHandler<T> body)
      throws IOException, InterruptedException {
    return CLIENT.send(request.build(), body);
  }

  public static <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest.Builder request, BodyHandler<T> body) {
    return CLIENT.sendAsync(request.build(), body);
  }
}
