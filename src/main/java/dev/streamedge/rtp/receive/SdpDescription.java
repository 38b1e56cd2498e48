package dev.streamedge.rtp.receive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The session description a publisher announces (RFC 4566, in RTSP's ANNOUNCE, RFC 2326 Appendix C), read as
 * ffmpeg, GStreamer and IP cameras write it: lines end with CRLF or LF, surrounding blanks are ignored, and lines
 * that are no {@code <letter>=<value>} are skipped. Of each media section ({@code m=}) it keeps the first payload
 * type and that type's {@code a=rtpmap} and {@code a=fmtp}, and its {@code a=control}; session-level attributes
 * and other lines are left alone. The work is linear in the input, and at most {@value #MAX_MEDIA} media
 * sections and {@value #MAX_PARAMETERS} format parameters a section are kept.
 */
public final class SdpDescription {

  /** The most media sections a description may have. */
  public static final int MAX_MEDIA = 64;
  /** The most {@code a=fmtp} parameters kept of a media section; the rest are ignored. */
  public static final int MAX_PARAMETERS = 64;

  private final List<SdpMedia> media;

  private SdpDescription(List<SdpMedia> media) {
    this.media = List.copyOf(media);
  }

  /**
   * @throws RtpFormatException when there is no {@code v=} line, an {@code m=} line is not {@code <media>
   *     <port>[/<count>] <proto> <fmt> ...} with a payload type of 0..127 first, or there are more than {@value
   *     #MAX_MEDIA} media sections
   */
  public static SdpDescription parse(String sdp) throws RtpFormatException {
    boolean version = false;
    List<SdpMedia> media = new ArrayList<>();
    Section section = null;
    int at = 0;
    while (at < sdp.length()) {
      int newline = sdp.indexOf('\n', at);
      int end = newline < 0 ? sdp.length() : newline;
      String line = sdp.substring(at, end).strip();
      at = end + 1;
      if (line.length() < 2 || line.charAt(1) != '=') {
        continue;
      }
      String value = line.substring(2);
      switch (line.charAt(0)) {
        case 'v' -> version = true;
        case 'm' -> {
          if (section != null) {
            media.add(section.build());
          }
          if (media.size() == MAX_MEDIA) {
            throw new RtpFormatException("more than " + MAX_MEDIA + " media sections");
          }
          section = Section.of(value);
        }
        case 'a' -> {
          if (section != null) {
            section.attribute(value);
          }
        }
        default -> {
          // o=, s=, c=, t=, b=, i=, ...: nothing an ingest needs here
        }
      }
    }
    if (!version) {
      throw new RtpFormatException("session description without a v= line");
    }
    if (section != null) {
      media.add(section.build());
    }
    return new SdpDescription(media);
  }

  /** The media sections in their order; unmodifiable. */
  public List<SdpMedia> media() {
    return media;
  }

  @Override
  public String toString() {
    return "SdpDescription" + media;
  }

  /** A media section being read. */
  private static final class Section {

    private final String type;
    private final int payloadType;
    private String encoding;
    private int clockRate;
    private int channels;
    private boolean mapped;
    private final Map<String, String> fmtp = new LinkedHashMap<>();
    private String control = "";

    private Section(String type, int payloadType) {
      this.type = type;
      this.payloadType = payloadType;
      StaticType known = StaticType.of(payloadType);
      encoding = known == null ? "" : known.encoding();
      clockRate = known == null ? 0 : known.clockRate();
      channels = known == null ? 1 : known.channels();
    }

    /** {@code <media> <port>[/<count>] <proto> <fmt> ...} (RFC 4566 §5.14). */
    static Section of(String value) throws RtpFormatException {
      String[] fields = fields(value, 4);
      if (fields == null || !port(fields[1])) {
        throw new RtpFormatException("m= line '" + shortened(value) + "'");
      }
      String first = firstField(fields[3]);
      int payloadType = number(first, 127);
      if (payloadType < 0) {
        throw new RtpFormatException("m= line '" + shortened(value) + "' of payload type " + shortened(first));
      }
      return new Section(fields[0].toLowerCase(Locale.ROOT), payloadType);
    }

    /** The value of an {@code a=} line: {@code rtpmap}, {@code fmtp} and {@code control} are read. */
    void attribute(String value) {
      int colon = value.indexOf(':');
      if (colon < 0) {
        return;
      }
      String name = value.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String rest = value.substring(colon + 1).strip();
      switch (name) {
        case "rtpmap" -> rtpmap(rest);
        case "fmtp" -> fmtp(rest);
        case "control" -> control = rest;
        default -> {
          // framerate, range, sendonly, ...
        }
      }
    }

    /** {@code <payload type> <encoding name>/<clock rate>[/<channels>]} (RFC 4566 §6), the first for our type. */
    private void rtpmap(String value) {
      String[] fields = fields(value, 2);
      if (mapped || fields == null || number(fields[0], 127) != payloadType) {
        return;
      }
      String[] parts = fields[1].split("/", 4);
      int rate = parts.length < 2 ? -1 : number(parts[1], Integer.MAX_VALUE);
      if (parts[0].isEmpty() || rate <= 0) {
        return; // not an rtpmap to trust: the defaults stay
      }
      mapped = true;
      encoding = parts[0].toUpperCase(Locale.ROOT);
      clockRate = rate;
      int count = parts.length < 3 ? -1 : number(parts[2], 0xFFFF);
      channels = count > 0 ? count : 1;
    }

    /** {@code <payload type> <key>=<value>; <key>=<value>...}: split at the first '=', for values in base64. */
    private void fmtp(String value) {
      String[] fields = fields(value, 2);
      if (fields == null || number(fields[0], 127) != payloadType) {
        return;
      }
      for (String parameter : fields[1].split(";")) {
        int equals = parameter.indexOf('=');
        String key = (equals < 0 ? parameter : parameter.substring(0, equals)).strip().toLowerCase(Locale.ROOT);
        if (!key.isEmpty() && (fmtp.size() < MAX_PARAMETERS || fmtp.containsKey(key))) {
          fmtp.put(key, equals < 0 ? "" : parameter.substring(equals + 1).strip());
        }
      }
    }

    SdpMedia build() {
      return new SdpMedia(type, payloadType, encoding, clockRate, channels, fmtp, control);
    }
  }

  /**
   * The first {@code count - 1} blank-separated fields of {@code value} and the rest (trimmed) as the last;
   * null when there are fewer.
   */
  private static String[] fields(String value, int count) {
    String[] fields = new String[count];
    int at = 0;
    for (int i = 0; i < count; i++) {
      while (at < value.length() && Character.isWhitespace(value.charAt(at))) {
        at++;
      }
      if (at == value.length()) {
        return null;
      }
      int end = at;
      while (i < count - 1 && end < value.length() && !Character.isWhitespace(value.charAt(end))) {
        end++;
      }
      fields[i] = i < count - 1 ? value.substring(at, end) : value.substring(at).strip();
      at = end;
    }
    return fields;
  }

  /** {@code text} up to its first blank; {@code text} starts with none. */
  private static String firstField(String text) {
    int end = 0;
    while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
      end++;
    }
    return text.substring(0, end);
  }

  /** A port, with a count of ports or not: {@code 0}, {@code 5004}, {@code 5004/2}. */
  private static boolean port(String field) {
    int slash = field.indexOf('/');
    return number(slash < 0 ? field : field.substring(0, slash), 0xFFFF) >= 0
        && (slash < 0 || number(field.substring(slash + 1), 0xFFFF) >= 0);
  }

  /** The decimal number in {@code field}, 0..max; -1 when it is none (or too long to be one). */
  private static int number(String field, int max) {
    if (field.isEmpty() || field.length() > 9) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= max ? value : -1;
  }

  private static String shortened(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }

  /** The static payload types of RFC 3551 §6 (Tables 4 and 5) that mean something without an rtpmap. */
  private record StaticType(String encoding, int clockRate, int channels) {

    static StaticType of(int payloadType) {
      return switch (payloadType) {
        case 0 -> new StaticType("PCMU", 8000, 1);
        case 3 -> new StaticType("GSM", 8000, 1);
        case 4 -> new StaticType("G723", 8000, 1);
        case 5 -> new StaticType("DVI4", 8000, 1);
        case 6 -> new StaticType("DVI4", 16000, 1);
        case 7 -> new StaticType("LPC", 8000, 1);
        case 8 -> new StaticType("PCMA", 8000, 1);
        case 9 -> new StaticType("G722", 8000, 1);
        case 10 -> new StaticType("L16", 44100, 2);
        case 11 -> new StaticType("L16", 44100, 1);
        case 12 -> new StaticType("QCELP", 8000, 1);
        case 13 -> new StaticType("CN", 8000, 1);
        case 14 -> new StaticType("MPA", 90000, 1);
        case 15 -> new StaticType("G728", 8000, 1);
        case 16 -> new StaticType("DVI4", 11025, 1);
        case 17 -> new StaticType("DVI4", 22050, 1);
        case 18 -> new StaticType("G729", 8000, 1);
        case 25 -> new StaticType("CELB", 90000, 1);
        case 26 -> new StaticType("JPEG", 90000, 1);
        case 28 -> new StaticType("NV", 90000, 1);
        case 31 -> new StaticType("H261", 90000, 1);
        case 32 -> new StaticType("MPV", 90000, 1);
        case 33 -> new StaticType("MP2T", 90000, 1);
        case 34 -> new StaticType("H263", 90000, 1);
        default -> null;
      };
    }
  }
}
