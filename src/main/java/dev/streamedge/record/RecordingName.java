package dev.streamedge.record;

import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamNames;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of one recording file, {@code <app>/<key>-<start, UTC>.flv} (or {@code .mp4}), e.g.
 * {@code live/cam1-20261202T135527.123Z.flv}: the app is its directory under {@code record.path}. Names
 * are built only from safe stream names and a fixed-width time, and a name from outside (the API) is
 * accepted only when it parses back into that form, so no name can step out of {@code record.path}.
 *
 * @param app the app, the file's directory
 * @param key the stream key
 * @param start when the file was started, to the millisecond
 * @param format the file's format, which gives its extension
 */
public record RecordingName(String app, String key, Instant start, RecordFormat format) {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern FILE = Pattern.compile("(.+)-(\\d{8}T\\d{6}\\.\\d{3}Z)(\\.flv|\\.mp4)");

  static RecordingName of(StreamKey key, Instant start, RecordFormat format) {
    return new RecordingName(key.app(), key.name(), Instant.ofEpochMilli(start.toEpochMilli()), format);
  }

  /** The name of a file {@code file} in the directory of {@code app}, when it is a recording's; any thread. */
  public static Optional<RecordingName> parse(String app, String file) {
    if (!StreamNames.valid(app) || file == null) {
      return Optional.empty();
    }
    Matcher m = FILE.matcher(file);
    if (!m.matches() || !StreamNames.valid(m.group(1))) {
      return Optional.empty();
    }
    try {
      return Optional.of(new RecordingName(app, m.group(1), Instant.from(TIME.parse(m.group(2))),
          RecordFormat.ofExtension(m.group(3))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The file name inside the app's directory. */
  public String file() {
    return key + "-" + TIME.format(start) + format.extension();
  }

  /** The name the API shows: {@code <app>/<file>}. */
  @Override
  public String toString() {
    return app + "/" + file();
  }
}
