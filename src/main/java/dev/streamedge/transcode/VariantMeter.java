package dev.streamedge.transcode;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.codec.CodecDescription;
import dev.streamedge.media.codec.CodecStrings;
import java.util.ArrayList;
import java.util.List;

/**
 * What a master playlist says of one variant, measured from its stream as it passes: the RFC 6381
 * codecs and the picture size from the sequence headers, and per GOP (from keyframe to keyframe, where
 * every HLS segment cuts) the bitrate and the frame rate. BANDWIDTH is the peak of the last
 * {@link #GOPS} GOPs, AVERAGE-BANDWIDTH their mean (RFC 8216 §4.3.4.2), both of media bytes plus
 * {@link #CONTAINER_MARGIN} for the TS or fMP4 container. Fed on one context; read from any.
 */
final class VariantMeter {

  /** What is known now; the codecs are "" before the sequence headers, the rates 0 before two keyframes. */
  record Reading(String videoCodec, String audioCodec, int width, int height, double fps, long peakBps,
      long averageBps) {

    /**
     * The CODECS attribute's value: video then audio; "" (no attribute) when a codec has no string
     * here ({@link #UNKNOWN}), since CODECS must name every codec or be left out (RFC 8216 §4.3.4.2).
     */
    String codecs() {
      if (videoCodec.equals(UNKNOWN) || audioCodec.equals(UNKNOWN)) {
        return "";
      }
      List<String> all = new ArrayList<>(2);
      if (!videoCodec.isEmpty()) {
        all.add(videoCodec);
      }
      if (!audioCodec.isEmpty()) {
        all.add(audioCodec);
      }
      return String.join(",", all);
    }

    boolean measured() {
      return peakBps > 0;
    }
  }

  static final int GOPS = 8;
  /** A codec whose sequence header came but that has no RFC 6381 string here (VP9, Opus, MP3...). */
  static final String UNKNOWN = "?";
  /** TS packets carry 184 of 188 bytes, plus PES headers and PAT/PMT: about 5 to 8 % at these rates. */
  static final double CONTAINER_MARGIN = 1.10;

  private final long[] gopBits = new long[GOPS];
  private final double[] gopFps = new double[GOPS];
  private int gops;
  private long gopStart = -1;
  private long gopBytes;
  private int gopFrames;
  private String video = "";
  private String audio = "";
  private int width;
  private int height;
  private volatile Reading reading = new Reading("", "", 0, 0, 0, 0, 0);

  void packet(MediaPacket packet) {
    if (packet.isConfig()) {
      config(packet);
      return;
    }
    if (packet.kind() == MediaKind.VIDEO && packet.isSync()) {
      long duration = packet.timestamp() - gopStart;
      if (gopStart >= 0 && duration > 0 && duration < 60_000) {
        int slot = gops++ % GOPS;
        gopBits[slot] = gopBytes * 8 * 1000 / duration;
        gopFps[slot] = gopFrames * 1000.0 / duration;
        publish();
      }
      gopStart = packet.timestamp();
      gopBytes = 0;
      gopFrames = 0;
    }
    gopBytes += packet.size();
    if (packet.kind() == MediaKind.VIDEO) {
      gopFrames++;
    }
  }

  /** A new publisher session: nothing measured holds any more. */
  void reset() {
    gops = 0;
    gopStart = -1;
    video = "";
    audio = "";
    width = 0;
    height = 0;
    reading = new Reading("", "", 0, 0, 0, 0, 0);
  }

  Reading reading() {
    return reading;
  }

  private void config(MediaPacket packet) {
    if (packet.kind() == MediaKind.VIDEO) {
      video = CodecStrings.video(packet.body()).orElse(UNKNOWN);
      CodecDescription.resolution(packet.body()).ifPresent(size -> {
        width = size.width();
        height = size.height();
      });
    } else if (packet.kind() == MediaKind.AUDIO) {
      audio = CodecStrings.audio(packet.body()).orElse(UNKNOWN);
    }
    publish();
  }

  private void publish() {
    int count = Math.min(gops, GOPS);
    long peak = 0;
    long sum = 0;
    double fps = 0;
    for (int i = 0; i < count; i++) {
      peak = Math.max(peak, gopBits[i]);
      sum += gopBits[i];
      fps += gopFps[i];
    }
    reading = new Reading(video, audio, width, height, count == 0 ? 0 : fps / count,
        (long) (peak * CONTAINER_MARGIN), count == 0 ? 0 : (long) (sum / count * CONTAINER_MARGIN));
  }
}
