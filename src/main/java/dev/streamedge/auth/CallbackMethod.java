package dev.streamedge.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How the callbacks send their form, as nginx-rtmp's {@code notify_method}: a form-encoded POST body (its
 * default), or the query of a GET.
 */
public enum CallbackMethod {
  POST,
  GET;

  /** The name written in the config; Jackson binds by it too. */
  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
