package dev.streamedge.rtsp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One transport a client offers in a SETUP's Transport header (RFC 2326 §12.39), e.g. {@code
 * RTP/AVP/TCP;unicast;interleaved=0-1}, and the server's answer to it. Pure: no I/O.
 *
 * @param profile the transport protocol and profile without the lower transport, as sent: {@code RTP/AVP}, or
 *     something else (e.g. {@code RTP/SAVP}) that the server skips
 * @param tcp whether the lower transport is TCP ({@code RTP/AVP/TCP}); UDP when absent (§12.39)
 * @param unicast whether {@code unicast} was asked for; also when neither {@code unicast} nor {@code multicast}
 *     was given on TCP, since interleaved data cannot be multicast (the RFC's default, multicast, applies to
 *     UDP)
 * @param interleavedRtp the RTP channel of {@code interleaved=}, 0 to 255, or -1 when absent
 * @param interleavedRtcp the RTCP channel: the second of {@code interleaved=a-b}, else the first plus one,
 *     or -1 when absent
 * @param clientRtpPort the first of {@code client_port=}, 1 to 65535, or -1 when absent
 * @param clientRtcpPort the second of {@code client_port=a-b}, else the first plus one, or -1 when absent
 * @param mode {@code mode=} without quotes and lower-cased, e.g. {@code play} (the default, §12.39) or {@code
 *     record}
 */
public record TransportSpec(String profile, boolean tcp, boolean unicast, int interleavedRtp, int interleavedRtcp,
    int clientRtpPort, int clientRtcpPort, String mode) {

  /** More than any client offers (ffmpeg offers one per SETUP, live555 one, GStreamer up to 4). */
  static final int MAX_SPECS = 8;

  /**
   * Reads a Transport header's value: specs separated by commas, in the client's order of preference.
   * Unknown parameters are ignored (§12.39 lets profiles add their own).
   *
   * @throws RtspFormatException when the value is empty or has more than 8 specs, or a number of {@code
   *     interleaved} or {@code client_port} is not one or a range within its bounds
   */
  public static List<TransportSpec> parseAll(String headerValue) throws RtspFormatException {
    if (headerValue == null || headerValue.isBlank()) {
      throw new RtspFormatException("no Transport");
    }
    List<String> specs = split(headerValue, ',');
    if (specs.size() > MAX_SPECS) {
      throw new RtspFormatException("more than " + MAX_SPECS + " transports offered");
    }
    List<TransportSpec> all = new ArrayList<>(specs.size());
    for (String spec : specs) {
      all.add(parse(spec.strip()));
    }
    return List.copyOf(all);
  }

  private static TransportSpec parse(String spec) throws RtspFormatException {
    List<String> parts = split(spec, ';');
    String protocol = parts.get(0).strip();
    String upper = protocol.toUpperCase(Locale.ROOT);
    boolean tcp = upper.endsWith("/TCP");
    String profile = tcp || upper.endsWith("/UDP") ? protocol.substring(0, protocol.length() - 4).strip() : protocol;
    if (profile.isEmpty()) {
      throw new RtspFormatException("a transport without a protocol in " + RtspDecoder.quote(spec));
    }
    Boolean unicast = null;
    int[] interleaved = {-1, -1};
    int[] clientPort = {-1, -1};
    String mode = "play";
    for (int i = 1; i < parts.size(); i++) {
      String param = parts.get(i).strip();
      int eq = param.indexOf('=');
      String name = (eq < 0 ? param : param.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? null : param.substring(eq + 1).strip();
      switch (name) {
        case "unicast" -> unicast = true;
        case "multicast" -> unicast = false;
        case "interleaved" -> interleaved = range(name, value, 0, 255);
        case "client_port" -> clientPort = range(name, value, 1, 65535);
        case "mode" -> mode = mode(value);
        default -> {
          // §12.39: parameters a server does not know are ignored (ssrc, ttl, layers, destination, ...).
        }
      }
    }
    boolean isUnicast = unicast != null ? unicast : tcp;
    return new TransportSpec(profile, tcp, isUnicast, interleaved[0], interleaved[1], clientPort[0],
        clientPort[1], mode);
  }

  private static int[] range(String name, String value, int min, int max) throws RtspFormatException {
    if (value == null) {
      throw new RtspFormatException(name + " without a value");
    }
    int dash = value.indexOf('-');
    int first = number(name, dash < 0 ? value : value.substring(0, dash), min, max);
    int second = dash < 0 ? first + 1 : number(name, value.substring(dash + 1), min, max);
    if (second > max) {
      throw new RtspFormatException(name + "=" + first + " leaves no room for the RTCP one after it");
    }
    return new int[] {first, second};
  }

  private static int number(String name, String text, int min, int max) throws RtspFormatException {
    String digits = text.strip();
    boolean ok = !digits.isEmpty() && digits.length() <= 5;
    for (int i = 0; ok && i < digits.length(); i++) {
      ok = digits.charAt(i) >= '0' && digits.charAt(i) <= '9';
    }
    int n = ok ? Integer.parseInt(digits) : -1;
    if (!ok || n < min || n > max) {
      throw new RtspFormatException(name + " " + RtspDecoder.quote(text) + " is not a number from " + min
          + " to " + max);
    }
    return n;
  }

  private static String mode(String value) throws RtspFormatException {
    if (value == null) {
      throw new RtspFormatException("mode without a value");
    }
    String mode = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1) : value;
    return mode.strip().toLowerCase(Locale.ROOT);
  }

  /** Splits at {@code separator} outside double quotes (a quoted mode may hold anything, §12.39). */
  private static List<String> split(String text, char separator) {
    List<String> parts = new ArrayList<>();
    boolean quoted = false;
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == separator && !quoted) {
        parts.add(text.substring(from, i));
        from = i + 1;
      }
    }
    parts.add(text.substring(from));
    return parts;
  }

  /** Whether this is RTP over the RTSP connection, the one transport the play server sends: RTP/AVP/TCP. */
  public boolean rtpOverTcp() {
    return tcp && profile.equalsIgnoreCase("RTP/AVP");
  }

  /** This spec with the given interleaved channels, for a server that picks them when the client did not. */
  public TransportSpec withInterleaved(int rtp, int rtcp) {
    return new TransportSpec(profile, tcp, unicast, rtp, rtcp, clientRtpPort, clientRtcpPort, mode);
  }

  /**
   * The server's Transport header value for this TCP spec: {@code
   * RTP/AVP/TCP;unicast;interleaved=a-b;ssrc=XXXXXXXX}, the SSRC's low 32 bits in 8 upper-case hex digits
   * (§12.39).
   *
   * @throws IllegalStateException when the spec has no interleaved channels (see {@link #withInterleaved})
   */
  public String answer(long ssrc) {
    if (interleavedRtp < 0 || interleavedRtcp < 0) {
      throw new IllegalStateException("no interleaved channels to answer with");
    }
    return "RTP/AVP/TCP;unicast;interleaved=" + interleavedRtp + "-" + interleavedRtcp + ";ssrc="
        + String.format(Locale.ROOT, "%08X", ssrc & 0xFFFF_FFFFL);
  }
}
