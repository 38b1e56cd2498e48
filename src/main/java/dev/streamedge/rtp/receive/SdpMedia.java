package dev.streamedge.rtp.receive;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One media section of a session description (RFC 4566 §5.14), as an RTSP ingest needs it: its first payload
 * type and what {@code a=rtpmap}, {@code a=fmtp} and {@code a=control} say of it.
 *
 * @param type the media type of {@code m=}, lower-cased: {@code video}, {@code audio}, ...
 * @param payloadType the first payload type of {@code m=}'s format list, 0..127
 * @param encoding the encoding name of its {@code a=rtpmap}, upper-cased ({@code H264}, {@code H265}, {@code
 *     MPEG4-GENERIC}); for a static payload type without one, RFC 3551's name ({@code PCMU}, {@code MPA}, ...);
 *     otherwise ""
 * @param clockRate the RTP clock rate, 0 when unknown
 * @param channels the audio channels of {@code a=rtpmap}, 1 when it gives none
 * @param fmtp the parameters of its {@code a=fmtp}, keys lower-cased, values trimmed, in their order;
 *     unmodifiable
 * @param control its {@code a=control} (an absolute URL or one relative to the session's), "" when absent
 */
public record SdpMedia(String type, int payloadType, String encoding, int clockRate, int channels,
    Map<String, String> fmtp, String control) {

  public SdpMedia {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(control, "control");
    fmtp = Collections.unmodifiableMap(new LinkedHashMap<>(fmtp));
  }
}
