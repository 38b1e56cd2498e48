package dev.streamedge.config;

import dev.streamedge.auth.AuthMode;
import dev.streamedge.auth.AppAddressRules;
import dev.streamedge.auth.AuthRules;
import dev.streamedge.net.PinnedTrust;
import dev.streamedge.relay.PullSource;
import dev.streamedge.relay.PushTarget;
import dev.streamedge.stream.StreamNames;
import dev.streamedge.transcode.Rendition;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one config key accepts, as a test on the text the operator wrote and as the phrase that
 * error messages and the help show.
 *
 * @param label the option's parameter label in the help, like {@code <int>}
 * @param allowed what is allowed, finishing the message "... is not allowed: " + allowed
 * @param accepts whether the text is an allowed value
 */
public record Rule(String label, String allowed, Predicate<String> accepts) {

  private static final Pattern UNSIGNED = Pattern.compile("\\d{1,10}");
  // A name or IPv4 address, or an IPv6 address in brackets, then the port.
  private static final Pattern MEMBER = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]):(\\d{1,5})");
  private static final String DURATION_UNITS = " (units ms, s, m, h)";
  private static final String SECRET_LABEL = "<secret>";
  private static final int MIN_SECRET_LENGTH = 16;
  private static final int MAX_SECRET_LENGTH = 1024;

  /** Unparsable text (any {@link IllegalArgumentException} from a parser) is simply not allowed. */
  public Rule {
    Predicate<String> test = accepts;
    accepts = text -> {
      try {
        return test.test(text);
      } catch (IllegalArgumentException e) {
        return false;
      }
    };
  }

  static Rule integer(long min, long max) {
    return new Rule("<int>", "an integer from " + min + " to " + max,
        text -> UNSIGNED.matcher(text).matches() && inRange(Long.parseLong(text), min, max));
  }

  static Rule duration(Duration min, Duration max) {
    return new Rule("<duration>", durationRange(min, max) + DURATION_UNITS,
        text -> within(Durations.parse(text), min, max));
  }

  /** A duration where zero switches the feature off and small non-zero values would be a mistake. */
  static Rule offOrDuration(Duration min, Duration max) {
    return new Rule("<duration>", "0 (off) or " + durationRange(min, max) + DURATION_UNITS,
        text -> {
          Duration d = Durations.parse(text);
          return d.isZero() || within(d, min, max);
        });
  }

  static Rule byteSize(ByteSize min, ByteSize max) {
    return new Rule("<size>", "a size from " + min + " to " + max + " (bytes, or with unit KiB, MiB, GiB)",
        text -> inRange(ByteSize.parse(text).bytes(), min.bytes(), max.bytes()));
  }

  static Rule oneOf(List<String> names) {
    return new Rule("<" + String.join("|", names) + ">", "one of " + String.join(", ", names), names::contains);
  }

  /** TCP ports separated by commas, or "" for none. */
  static Rule portList() {
    return new Rule("<port,...>", "\"\", or ports 1 to 65535 separated by commas",
        text -> text.isEmpty() || Arrays.stream(text.split(",", -1))
            .allMatch(port -> UNSIGNED.matcher(port).matches() && inRange(Long.parseLong(port), 1, 65535)));
  }

  /** A value safe to put in an HTTP header: no control characters, so no header injection. */
  static Rule headerValue() {
    return new Rule("<text>", "text without control characters, or \"\" for none",
        text -> text.chars().noneMatch(Character::isISOControl));
  }

  /** Application names separated by commas, or * for every app, or "" for none. */
  static Rule appList() {
    return new Rule("<apps>", "\"\", *, or app names (A-Z a-z 0-9 . _ ~ -) separated by commas",
        text -> text.isEmpty() || text.equals("*") || text.matches("[A-Za-z0-9._~-]+(,[A-Za-z0-9._~-]+)*"));
  }

  static Rule bool() {
    return oneOf(List.of("true", "false"));
  }

  /** A duration the cluster manager can take, which counts in whole seconds. */
  static Rule wholeSeconds(Duration min, Duration max) {
    return new Rule("<duration>", "whole seconds from " + Durations.format(min) + " to " + Durations.format(max)
        + DURATION_UNITS, text -> {
          Duration d = Durations.parse(text);
          return d.toMillisPart() == 0 && within(d, min, max);
        });
  }

  /** Cluster members to join by TCP: {@code host:port} items separated by commas, or "" for none. */
  static Rule memberList() {
    return new Rule("<host:port,...>", "\"\", or host:port items (port 1 to 65535) separated by commas",
        text -> text.isEmpty() || Arrays.stream(text.split(",", -1)).allMatch(Rule::isMember));
  }

  static Rule optionalHost() {
    return new Rule("<host>", "a host name or IP address, or \"\" for none",
        text -> text.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)));
  }

  static Rule host() {
    return new Rule("<host>", "a host name or IP address", text -> !text.isEmpty() && text.chars().noneMatch(Character::isWhitespace));
  }

  /** One app or stream name, as {@link StreamNames#valid} allows it. */
  static Rule name() {
    return new Rule("<name>", "a name of 1 to 128 of A-Z a-z 0-9 . _ ~ -", StreamNames::valid);
  }

  /** A directory the server writes to later: any non-empty path without control characters. */
  static Rule path() {
    return new Rule("<path>", "a non-empty path without control characters",
        text -> !text.isEmpty() && text.chars().noneMatch(Character::isISOControl) && Path.of(text) != null);
  }

  /** A path, or "" for none. */
  static Rule optionalPath() {
    return new Rule("<path>", "a path without control characters, or \"\" for none",
        text -> text.isEmpty() || text.chars().noneMatch(Character::isISOControl) && Path.of(text) != null);
  }

  /** A path the server will open later: checked now so a typo stops the start, not the first TLS client. */
  static Rule optionalReadableFile() {
    return new Rule("<file>", "a readable file, or \"\" for none",
        text -> text.isEmpty() || (Files.isRegularFile(Path.of(text)) && Files.isReadable(Path.of(text))));
  }

  /** The HLS variant of the seed URLs: one name, or {@code app=variant} items as {@link HlsConfig#parseVariants} reads them. */
  static Rule hlsVariants() {
    return new Rule("<variant|app=variant,...>", "low-latency, fmp4 or mpegts, or app=variant items separated by"
        + " commas, app a name or * for the others, each app once",
        text -> HlsConfig.parseVariants(text) != null);
  }

  /** Per-app auth modes, {@code app=mode} items as {@link AuthRules} reads them, or "" for all open. */
  static Rule authRules(Set<AuthMode> modes) {
    String names = String.join(", ", modes.stream().map(AuthMode::configName).toList());
    return new Rule("<app=mode,...>", "\"\", or app=mode items separated by commas, app a name or * for the "
        + "others, mode one of " + names + ", each app once",
        text -> AuthRules.parse(text, modes) != null);
  }

  /** Apps played from files ({@link VodConfig#directories}): {@code app=directory} items, or "" for none. */
  static Rule vodApps() {
    return new Rule("<app=directory;...>", "\"\", or app=directory items separated by semicolons, each app a name"
        + " (A-Z a-z 0-9 . _ ~ -) once, each directory a path without control characters",
        text -> VodConfig.parseDirectories(text) != null);
  }

  /** nginx-rtmp's allow and deny lines for one action, as {@link AddressRules} reads them, or "" for everyone. */
  static Rule addressRules() {
    return new Rule("<allow|deny address,...>", "\"\", or items separated by commas, each allow or deny then an IPv4 or"
        + " IPv6 address, a CIDR block (10.0.0.0/8) or all; the first that matches decides; per app: app=items"
        + " sections separated by semicolons, * for the other apps",
        text -> AppAddressRules.parse(text) != null);
  }

  /** Push relay targets, {@code app=URL} items as {@link PushTarget} reads them, or "" for none. */
  static Rule pushTargets() {
    return new Rule("<app=url,...>", "\"\", or app=URL items separated by commas, app a name or * for every app, "
        + "URL rtmp, rtmps, rtmpe, rtmpt, rtmpts or rtmpte://host[:port]/app/name with {app} and {key} "
        + "standing for the stream's, each item once",
        text -> PushTarget.parseAll(text) != null);
  }

  /** On-demand pull templates, {@code app=URL} items as {@link PushTarget#parsePullTemplates} reads them. */
  static Rule pullTemplates() {
    return new Rule("<app=url,...>", "\"\", or app=URL items separated by commas, app a name or * for every app, "
        + "URL rtmp, rtmps, rtmpe, rtmpt, rtmpts or rtmpte://host[:port]/app/name, an HTTP-FLV "
        + "http[s]://host[:port]/path/name or an RTSP rtsp[s]://[user:password@]host[:port]/path with {app} and {key} "
        + "standing for the stream's, each item once",
        text -> PushTarget.parsePullTemplates(text) != null);
  }

  /** Pull relay sources, {@code app/key=URL} items as {@link PullSource} reads them, or "" for none. */
  static Rule pullSources() {
    return new Rule("<app/key=url,...>", "\"\", or app/key=URL items separated by commas, URL rtmp, rtmps, rtmpe, "
        + "rtmpt, rtmpts or rtmpte://host[:port]/app/name, an HTTP-FLV http[s]://host[:port]/path/name or an RTSP "
        + "rtsp[s]://[user:password@]host[:port]/path, each stream once",
        text -> PullSource.parseAll(text) != null);
  }

  /** SHA-256 certificate fingerprints as {@link PinnedTrust#parse} reads them, or "". */
  static Rule fingerprints() {
    return new Rule("<sha256,...>", "\"\", or SHA-256 fingerprints separated by commas, each 64 hex digits, colons "
        + "between the bytes allowed (openssl x509 -noout -fingerprint -sha256)",
        text -> PinnedTrust.parse(text) != null);
  }

  /** A transcoding ladder, {@code name=WxH@RATEk[/encoder]} items as {@link Rendition} reads them, or "". */
  static Rule ladder() {
    return new Rule("<name=WxH@RATEk,...>", "\"\", or name=WxH@RATEk items separated by commas (name A-Z a-z 0-9 . ~ -,"
        + " even sides 16 to 7680, 16k to 100000k, optionally /encoder), each name once, at most 8",
        text -> Rendition.parseAll(text) != null);
  }

  /** An ffmpeg encoder name. */
  static Rule encoderName() {
    return new Rule("<encoder>", "an ffmpeg encoder name (A-Z a-z 0-9 _)", text -> text.matches("[A-Za-z0-9_]{1,64}"));
  }

  /** Stream keys: the same safe characters as stream names, since they travel in a URL query. */
  static Rule keyList() {
    return new Rule("<keys>", "\"\", or keys of 1 to 128 characters A-Z a-z 0-9 . _ ~ - separated by commas",
        text -> text.isEmpty() || text.matches("[A-Za-z0-9._~-]{1,128}(,[A-Za-z0-9._~-]{1,128})*"));
  }

  /**
   * An HMAC key: long enough not to be guessed, printable so it can be typed in a shell. Its value is
   * never shown in messages ({@link #hidesValue()}).
   */
  static Rule secret() {
    return new Rule(SECRET_LABEL, "\"\", or " + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH
        + " characters without spaces or control characters",
        text -> text.isEmpty() || (text.length() >= MIN_SECRET_LENGTH && text.length() <= MAX_SECRET_LENGTH
            && text.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))));
  }

  /** An SRT passphrase: libsrt takes 10 to 79 characters (SRTO_PASSPHRASE). Never shown, as a secret. */
  static Rule srtPassphrase() {
    return new Rule(SECRET_LABEL, "\"\", or 10 to 79 characters without control characters",
        text -> text.isEmpty() || (text.length() >= 10 && text.length() <= 79
            && text.chars().noneMatch(Character::isISOControl)));
  }

  /** An http or https URL the server will call, or "" for none. */
  static Rule optionalHttpUrl() {
    return new Rule("<url>", "\"\", or an http:// or https:// URL with a host", text -> {
      if (text.isEmpty()) {
        return true;
      }
      URI uri = URI.create(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    });
  }

  /** Whether messages must not repeat the value, as for a secret. */
  public boolean hidesValue() {
    return label.equals(SECRET_LABEL);
  }

  private static boolean isMember(String item) {
    Matcher m = MEMBER.matcher(item);
    return m.matches() && inRange(Long.parseLong(m.group(2)), 1, 65535);
  }

  private static String durationRange(Duration min, Duration max) {
    return "a duration from " + Durations.format(min) + " to " + Durations.format(max);
  }

  private static boolean within(Duration d, Duration min, Duration max) {
    return d.compareTo(min) >= 0 && d.compareTo(max) <= 0;
  }

  private static boolean inRange(long value, long min, long max) {
    return value >= min && value <= max;
  }
}
