package dev.streamedge.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the callbacks send their form, as nginx-rtmp's {@code notify_method}: a form-encoded POST body (its
 * default), or the query of a GET.
 */
public enum CallbackMethod {
  POST,
  GET;

  /** {@code url} with {@code fields} as its query, after any query it has: a GET's form. */
  public static String withQuery(String url, List<Map.Entry<String, String>> fields) {
    QueryStringEncoder query = new QueryStringEncoder("");
    fields.forEach(field -> query.addParam(field.getKey(), field.getValue()));
    String encoded = query.toString();
    return url + (url.indexOf('?') >= 0 ? "&" : "?") + (encoded.startsWith("?") ? encoded.substring(1) : encoded);
  }

  /** The name written in the config; Jackson binds by it too. */
  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
