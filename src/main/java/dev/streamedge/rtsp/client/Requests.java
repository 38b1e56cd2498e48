package dev.streamedge.rtsp.client;

import dev.streamedge.net.WireBuffers;
import dev.streamedge.rtsp.RtspAuthenticator;
import dev.streamedge.rtsp.RtspRequests;
import dev.streamedge.rtsp.RtspSourceUrl;
import dev.streamedge.rtsp.SessionHeader;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The requests of one client connection as they go out: CSeq counted (RFC 2326 §12.17), the session's id once SETUP
 * gave one (§12.37), an Authorization answering the source's last challenge (RFC 2617) with the URL's credentials,
 * and the last request kept, to be sent again once with credentials after a 401.
 */
final class Requests {

  private static final String USER_AGENT = "streamedge";

  private final RtspAuthenticator auth;
  private int cseq;
  private String method;
  private String uri;
  private List<Map.Entry<String, String>> headers = List.of();
  private SessionHeader session;

  Requests(RtspSourceUrl url) {
    this.auth = url.user() == null ? null
        : new RtspAuthenticator(url.user(), url.password() == null ? "" : url.password());
  }

  /** A new request, kept as the one whose answer is awaited. */
  Buffer next(String method, String uri, List<Map.Entry<String, String>> headers) {
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    return encode(method, uri, headers);
  }

  /**
   * The awaited request again, answering the challenge of its 401; null when the URL has no credentials or the
   * challenge cannot be answered (or was answered already: a refused login is not tried in a loop).
   */
  Buffer again(String wwwAuthenticate) {
    if (auth == null || wwwAuthenticate == null || !auth.challenge(wwwAuthenticate)) {
      return null;
    }
    return encode(method, uri, headers);
  }

  /** A request sent without waiting for its answer (a keep-alive, the TEARDOWN); the awaited one stays. */
  Buffer oneOff(String method, String uri) {
    return encode(method, uri, List.of());
  }

  boolean hasCredentials() {
    return auth != null;
  }

  /** The method of the awaited request, for what is said when it fails. */
  String method() {
    return method;
  }

  /** The CSeq of the last request sent. */
  int cseq() {
    return cseq;
  }

  SessionHeader session() {
    return session;
  }

  void session(SessionHeader session) {
    this.session = session;
  }

  private Buffer encode(String method, String uri, List<Map.Entry<String, String>> extra) {
    List<Map.Entry<String, String>> all = new ArrayList<>(extra.size() + 3);
    all.addAll(extra);
    all.add(Map.entry("User-Agent", USER_AGENT));
    String authorization = auth == null ? null : auth.authorization(method, uri);
    if (authorization != null) {
      all.add(Map.entry("Authorization", authorization));
    }
    if (session != null) {
      all.add(Map.entry("Session", session.id()));
    }
    return WireBuffers.wrap(RtspRequests.encode(method, uri, ++cseq, all, null));
  }
}
