package dev.streamedge.config;

import static dev.streamedge.config.ConfigKeys.key;

import java.time.Duration;
import java.util.List;

/** The keys of the {@code srt} section (a part of {@link ConfigKeys}): the SRT listener for publishers. */
final class SrtKeys {

  private SrtKeys() {
  }

  static List<ConfigKey> all() {
    return List.of(
        key("srt.enabled", "true", Rule.bool(),
            "Listen for SRT publishers (OBS, ffmpeg, GStreamer in caller mode, MPEG-TS with H.264, H.265 and AAC)"
                + " and players (streamid=read:live/test; MPEG-TS with H.264 and AAC)"),
        key("srt.host", "0.0.0.0", Rule.host(), "Address the SRT listener binds to"),
        key("srt.port", "8890", Rule.integer(1, 65535),
            "UDP port of the SRT listener (MediaMTX's; srt://host:8890?streamid=publish:live/test)"),
        key("srt.default-app", "live", Rule.name(),
            "The app of a stream id that names a stream alone (streamid=publish:test is live/test)"),
        key("srt.passphrase", "", Rule.srtPassphrase(),
            "Encryption: callers must give this passphrase (ffmpeg's passphrase=, OBS's in the URL), their media"
                + " AES-encrypted with it; \"\" takes callers without one only. Set it by environment variable"),
        key("srt.max-connections", "64", Rule.integer(1, 10_000),
            "Most SRT connections at once, handshakes waiting for auth included; more are refused"),
        key("srt.latency", "120ms", Rule.duration(Duration.ZERO, Duration.ofSeconds(10)),
            "The latency (TSBPD delay): how long a publisher's lost packet may be waited for, and how long a"
                + " player holds each packet before playing it; the larger of this and the caller's wins"),
        key("srt.max-buffered-packets", "2048", Rule.integer(32, 65_536),
            "Packets a connection holds (about 1.5 KB each): a publisher's behind a lost one, also the flow"
                + " window it gives the caller (packets further ahead are dropped); a player's until it acknowledges"
                + " them"),
        key("srt.peer-idle-timeout", "5s", Rule.duration(Duration.ofSeconds(2), Duration.ofMinutes(5)),
            "A connection that receives nothing for this long is closed (libsrt's default); at least 2s, twice"
                + " the 1 s a quiet libsrt caller waits between keepalives"),
        key("srt.max-frame-size", "4MiB", Rule.byteSize(ByteSize.ofKiB(64), new ByteSize(16_777_215)),
            "Largest video or audio frame (PES) taken from the MPEG-TS; a larger one is dropped"));
  }
}
