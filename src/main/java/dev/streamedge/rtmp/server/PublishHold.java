package dev.streamedge.rtmp.server;

import dev.streamedge.media.MediaKind;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The audio, video and script data a publish sends before it is allowed, held in order while auth and the
 * stream registry decide, and passed on once it is. nginx-rtmp's {@code push} sends its codec headers and
 * frames right after {@code publish} without waiting for NetStream.Publish.Start (ngx_rtmp_relay_module.c
 * plays the local stream into the connection as soon as createStream is answered): dropped, the sequence
 * headers among them would leave every player without a decoder configuration.
 *
 * <p>Bounded by {@code rtmp.max-held-before-publish}, each message counted with {@link #OVERHEAD} besides its
 * payload; once a message does not fit, it and everything after it are dropped until the publish is
 * allowed, so that what is passed on has one gap at most, at the end of what was held. References to
 * the decoder's payloads, never copies. On the connection's context only.
 */
final class PublishHold {

  /** Counted per message besides its payload: a flood of tiny messages is bounded as well. */
  static final int OVERHEAD = 64;

  /** One held message: audio or video ({@code kind} set), or script data ({@code kind} null). */
  record Held(RtmpMessage message, MediaKind kind, ByteBuf payload) {
  }

  private final long max;
  private final long sinceNanos;
  private final List<Held> held = new ArrayList<>();
  private long bytes;
  private boolean full;
  private int dropped;
  private long droppedBytes;

  PublishHold(long max, long sinceNanos) {
    this.max = max;
    this.sinceNanos = sinceNanos;
  }

  /** Holds a message, or drops it once the bound is reached; whether it is held. */
  boolean add(RtmpMessage message, MediaKind kind, ByteBuf payload) {
    long cost = payload.readableBytes() + (long) OVERHEAD;
    if (full || bytes + cost > max) {
      full = true;
      dropped++;
      droppedBytes += payload.readableBytes();
      return false;
    }
    held.add(new Held(message, kind, payload));
    bytes += cost;
    return true;
  }

  /** The bytes held, as the node's account of them counts. */
  long bytes() {
    return bytes;
  }

  /** When the publish command came: since then the held bytes have waited. */
  long sinceNanos() {
    return sinceNanos;
  }

  /** How many messages were dropped past the bound. */
  int dropped() {
    return dropped;
  }

  long droppedBytes() {
    return droppedBytes;
  }

  /** What is held, oldest first. */
  List<Held> held() {
    return held;
  }
}
