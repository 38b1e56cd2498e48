package dev.streamedge.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamNames;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of what a play request's URL carries to the pure code behind the HTTP routes
 * (docs/fuzzing.md): the input, read as UTF-8, is a query string and a stream name. The query parses
 * into arguments or, only when it holds a '%', is refused with the IllegalArgumentException that
 * {@link QueryArgs#parse} declares; a sign argument is judged without an exception, and allowed only
 * when it is the signature of the stream and has not expired. A name that {@link StreamNames#valid}
 * passes can be no path step.
 */
@Tag("fuzz")
class PlayQueryCoverageFuzzTest {

  private static final String SECRET = "fuzz-secret";
  private static final StreamKey KEY = new StreamKey("live", "test");
  private static final long NOW = 1_767_225_600L;

  @FuzzTest(maxDuration = "30s", maxExecutions = 100_000)
  void queriesParseOrAreRefusedAndOnlyTheRightSignaturePasses(byte[] input) {
    String query = new String(input, StandardCharsets.UTF_8);
    List<Map.Entry<String, String>> args;
    try {
      args = QueryArgs.parse(query);
    } catch (IllegalArgumentException e) {
      if (query.indexOf('%') < 0) {
        throw new AssertionError("a query without '%' refused: " + e.getMessage());
      }
      return;
    }
    for (Map.Entry<String, String> arg : args) {
      if (arg.getKey() == null || arg.getValue() == null) {
        throw new AssertionError("argument " + arg);
      }
    }
    String sign = QueryArgs.first(args, "sign").orElse(null);
    AuthDecision decision = SignedUrls.verify(SECRET, KEY, sign, NOW);
    if (decision.allowed()) {
      String expiry = sign.substring(0, sign.indexOf('-'));
      if (expiry.length() > 12 || Long.parseLong(expiry) < NOW || !(expiry + "-" + hmac(expiry)).equalsIgnoreCase(sign)) {
        throw new AssertionError("allowed sign=" + sign);
      }
    } else if (decision.reason().isEmpty()) {
      throw new AssertionError("refused without a reason");
    }
    String name = args.isEmpty() ? query : args.get(0).getValue();
    if (StreamNames.valid(name) && (name.isEmpty() || name.length() > 128 || name.equals(".") || name.equals("..")
        || name.chars().anyMatch(c -> c == '/' || c == '\\' || c == '%' || c == '?' || c == '#' || c < 0x21 || c > 0x7e))) {
      throw new AssertionError("valid stream name " + name);
    }
  }

  /** HMAC-SHA256 of /live/test-expiry in lower-case hex, computed here rather than by SignedUrls. */
  private static String hmac(String expiry) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(("/live/test-" + expiry).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
