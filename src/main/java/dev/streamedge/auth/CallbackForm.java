package dev.streamedge.auth;

import java.util.List;
import java.util.Map;

/**
 * One callback request: where it goes and its form fields, in order. Equal forms are the same
 * question, which is what the answer cache and the sharing of calls in flight go by.
 */
record CallbackForm(String url, List<Map.Entry<String, String>> fields) {

  CallbackForm {
    fields = List.copyOf(fields);
  }
}
