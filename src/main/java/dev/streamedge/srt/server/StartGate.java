package dev.streamedge.srt.server;

import dev.streamedge.flv.FlvTags;
import dev.streamedge.media.MediaKind;
import dev.streamedge.mpegts.FlvFromTs;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * Holds the first FLV bodies of an MPEG-TS publish until every track its program map names has given its
 * sequence header, then lets them go with the sequence headers first: the stream then starts as an RTMP
 * publish does. MPEG-TS muxers send audio late (ffmpeg's holds it up to 0.7 s behind the video), and a
 * consumer that decides its tracks at the first keyframe, as HLS does, would otherwise begin without audio.
 * Bounded: after {@code maxHeld} bodies or {@code maxSpanMillis} of media it opens with what it has.
 */
final class StartGate implements FlvFromTs.Listener {

  private record Held(MediaKind kind, long timestamp, ByteBuf body) {
  }

  private final BooleanSupplier hasVideo;
  private final BooleanSupplier hasAudio;
  private final int maxHeld;
  private final long maxSpanMillis;
  private final FlvFromTs.Listener next;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private ByteBuf videoConfig;
  private ByteBuf audioConfig;
  private boolean open;

  StartGate(BooleanSupplier hasVideo, BooleanSupplier hasAudio, int maxHeld, long maxSpanMillis,
      FlvFromTs.Listener next) {
    this.hasVideo = hasVideo;
    this.hasAudio = hasAudio;
    this.maxHeld = maxHeld;
    this.maxSpanMillis = maxSpanMillis;
    this.next = next;
  }

  @Override
  public void media(MediaKind kind, long timestampMs, ByteBuf flvBody) {
    if (open) {
      next.media(kind, timestampMs, flvBody);
      return;
    }
    if (kind == MediaKind.VIDEO && FlvTags.isVideoSequenceHeader(flvBody)) {
      videoConfig = flvBody;
    } else if (kind == MediaKind.AUDIO && FlvTags.isAudioSequenceHeader(flvBody)) {
      audioConfig = flvBody;
    } else {
      held.add(new Held(kind, timestampMs, flvBody));
    }
    boolean complete = (videoConfig != null || !hasVideo.getAsBoolean())
        && (audioConfig != null || !hasAudio.getAsBoolean());
    long span = held.isEmpty() ? 0 : timestampMs - held.peekFirst().timestamp();
    if (complete || held.size() >= maxHeld || span >= maxSpanMillis) {
      open(held.isEmpty() ? timestampMs : held.peekFirst().timestamp());
    }
  }

  /** Whether the gate let the stream go on. */
  boolean isOpen() {
    return open;
  }

  /** Lets everything held go, the sequence headers first at {@code start}, the time of the first body held. */
  private void open(long start) {
    open = true;
    if (videoConfig != null) {
      next.media(MediaKind.VIDEO, start, videoConfig);
    }
    if (audioConfig != null) {
      next.media(MediaKind.AUDIO, start, audioConfig);
    }
    for (Held body = held.poll(); body != null; body = held.poll()) {
      next.media(body.kind(), body.timestamp(), body.body());
    }
  }
}
