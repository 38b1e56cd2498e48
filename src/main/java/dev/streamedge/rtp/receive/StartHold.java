package dev.streamedge.rtp.receive;

import dev.streamedge.flv.FlvTags;
import dev.streamedge.media.MediaKind;
import dev.streamedge.mpegts.FlvFromTs;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * Holds a publisher's first FLV bodies until each announced track has given one, then lets them go, the sequence
 * headers first (a consumer that decides its tracks at the first keyframe, as HLS does, then starts with both, as
 * for an RTMP publish), with one lead added to every timestamp so that none is negative: a video track's first
 * decode times come before its first presentation time (B-frames), and one track may start before the other. After the start, bodies pass at once
 * with the same lead (a late one below zero is put at zero). Bounded: when the held bodies reach {@code maxHeld}
 * bodies or {@code maxHeldBytes}, or span {@code maxHeldMillis}, the start comes without the missing track.
 */
final class StartHold implements FlvFromTs.Listener {

  private record Held(MediaKind kind, long timestamp, ByteBuf body) {
  }

  private final FlvFromTs.Listener out;
  private final int maxHeld;
  private final long maxHeldMillis;
  private final long maxHeldBytes;
  private long heldBytes;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private boolean waitVideo;
  private boolean waitAudio;
  private boolean started;
  private long lead;
  private long earliest = Long.MAX_VALUE;
  private long latest = Long.MIN_VALUE;

  StartHold(boolean video, boolean audio, int maxHeld, long maxHeldBytes, long maxHeldMillis,
      FlvFromTs.Listener out) {
    this.maxHeldBytes = maxHeldBytes;
    this.waitVideo = video;
    this.waitAudio = audio;
    this.maxHeld = maxHeld;
    this.maxHeldMillis = maxHeldMillis;
    this.out = out;
  }

  @Override
  public void media(MediaKind kind, long timestamp, ByteBuf body) {
    if (started) {
      out.media(kind, Math.max(0, timestamp + lead), body);
      return;
    }
    held.add(new Held(kind, timestamp, body));
    heldBytes += body.readableBytes();
    earliest = Math.min(earliest, timestamp);
    latest = Math.max(latest, timestamp);
    if (kind == MediaKind.VIDEO) {
      waitVideo = false;
    } else if (kind == MediaKind.AUDIO) {
      waitAudio = false;
    }
    if (!waitVideo && !waitAudio || held.size() >= maxHeld || heldBytes >= maxHeldBytes
        || latest - earliest >= maxHeldMillis) {
      start();
    }
  }

  /** Lets what is held go (the publisher's end, or the start). */
  void start() {
    if (started) {
      return;
    }
    started = true;
    lead = held.isEmpty() ? 0 : Math.max(0, -earliest);
    long first = held.isEmpty() ? 0 : held.peekFirst().timestamp() + lead;
    for (Held body : held) {
      if (isSequenceHeader(body)) {
        out.media(body.kind(), Math.max(0, first), body.body());
      }
    }
    for (Held body; (body = held.poll()) != null; ) {
      if (!isSequenceHeader(body)) {
        out.media(body.kind(), body.timestamp() + lead, body.body());
      }
    }
  }

  private static boolean isSequenceHeader(Held body) {
    return body.kind() == MediaKind.VIDEO ? FlvTags.isVideoSequenceHeader(body.body())
        : body.kind() == MediaKind.AUDIO && FlvTags.isAudioSequenceHeader(body.body());
  }

  boolean started() {
    return started;
  }
}
