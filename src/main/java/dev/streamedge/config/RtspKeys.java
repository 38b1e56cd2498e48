package dev.streamedge.config;

import static dev.streamedge.config.ConfigKeys.key;

import java.time.Duration;
import java.util.List;

/** The keys of the {@code rtsp} section (a part of {@link ConfigKeys}): the RTSP listener for players. */
final class RtspKeys {

  private RtspKeys() {
  }

  static List<ConfigKey> all() {
    return List.of(
        key("rtsp.enabled", "true", Rule.bool(),
            "Listen for RTSP players (ffmpeg, ffplay, GStreamer: rtsp://host:8554/live/test), sent H.264, H.265"
                + " and AAC as RTP over the RTSP connection, and for RTSP publishers (ANNOUNCE, RECORD)"),
        key("rtsp.host", "0.0.0.0", Rule.host(), "Address the RTSP listener binds to"),
        key("rtsp.port", "8554", Rule.integer(1, 65535),
            "TCP port of the RTSP listener (MediaMTX's; rtsp://host:8554/live/test)"),
        key("rtsp.max-connections", "1000", Rule.integer(1, 100_000),
            "Most RTSP connections at once; more are closed as they come"),
        key("rtsp.max-request-size", "16KiB", Rule.byteSize(ByteSize.ofKiB(1), ByteSize.ofKiB(1024)),
            "Largest RTSP request (request line, headers and body); a larger one is answered 400 and closed"),
        key("rtsp.idle-timeout", "30s", Rule.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
            "A connection that is not playing and sends no whole request for this long is closed (a publisher: nothing)"),
        key("rtsp.describe-timeout", "5s", Rule.duration(Duration.ofMillis(100), Duration.ofMinutes(1)),
            "How long a DESCRIBE of a stream that is not live yet (or is being pulled from another node) waits"
                + " for its tracks before it is answered 404"),
        key("rtsp.max-packet-size", "1400", Rule.integer(200, 65_000),
            "Largest RTP payload in bytes: larger NAL units are cut into fragments (RFC 6184 FU-A)"),
        key("rtsp.max-frame-size", "4MiB", Rule.byteSize(ByteSize.ofKiB(64), new ByteSize(16_777_215)),
            "Largest video or audio frame put together from a publisher's RTP packets; a larger one is dropped"),
        key("rtsp.tls.port", "8322", Rule.integer(1, 65535),
            "TCP port of the RTSPS listener (RTSP over TLS, rtsps://host:8322/live/test; MediaMTX's)"),
        key("rtsp.tls.cert", "", Rule.optionalReadableFile(),
            "PEM certificate chain; RTSPS is on when rtsp.tls.cert and rtsp.tls.key are both set"),
        key("rtsp.tls.key", "", Rule.optionalReadableFile(), "PEM private key of the certificate in rtsp.tls.cert"),
        key("rtsp.tls.versions", "TLSv1.2,TLSv1.3", Rule.oneOf(List.of("TLSv1.2,TLSv1.3", "TLSv1.2", "TLSv1.3")),
            "TLS versions the RTSPS listener offers"),
        key("rtsp.tls.engine", "openssl", Rule.oneOf(List.of("openssl", "jdk")),
            "TLS engine of the RTSPS listener: openssl (BoringSSL's, bundled; the JDK's where it cannot load) or jdk"));
  }
}
