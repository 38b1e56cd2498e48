package dev.streamedge.rtmp.server;

import dev.streamedge.auth.AuthRequest;
import dev.streamedge.flv.FlvTags;
import dev.streamedge.media.MediaKind;
import dev.streamedge.stream.PublishSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * One message stream of a connection, made by {@code createStream} (RTMP 1.0 §7.2.1.3): idle, waiting
 * for auth or the stream registry, publishing (see {@link PublishFlow}) or playing (see {@link PlayFlow}).
 * On the connection's context only.
 */
final class NetStream {

  PublishSession publishing;
  Playing playing;
  /** The player's buffer from its SetBufferLength on this stream, milliseconds; -1 while it sent none. */
  long bufferMillis = -1;
  /** A publish or play waits for auth or for the stream registry. */
  boolean pending;
  /** What a publish that waits to be allowed sent meanwhile; null when none waits. */
  PublishHold hold;
  /** The allowed publish or play, told to the done callbacks when it ends. */
  AuthRequest auth;
  /** Stops asking auth.callback.on-update about the publish or play; null while there is none. */
  Runnable unwatch;
  /** The wall-clock second whose script data messages {@link #dataInSecond} counts. */
  long dataSecond;
  int dataInSecond;
  /**
   * The last metadata message passed on while publishing, as received (at most rtmp.max-metadata-size), or
   * null: a repeat of it is left out.
   */
  private byte[] lastMetadata;
  /** The last video and audio sequence headers passed on while publishing, as received, or null. */
  private byte[] videoConfig;
  private byte[] audioConfig;
  /**
   * What a publish redirected to another name (nginx-rtmp's {@code /control/redirect/publisher}) carries to
   * its new stream once that is claimed: the encoder does not send them again. Null otherwise; the publish
   * flow takes it as it starts.
   */
  Configs carried;

  /** A publish's metadata and sequence headers, as received; any may be null. */
  record Configs(byte[] metadata, byte[] video, byte[] audio) {
  }

  /** Whether {@code payload} is the same bytes as the metadata last passed on. */
  boolean repeatsMetadata(ByteBuf payload) {
    byte[] last = lastMetadata;
    return last != null && payload.readableBytes() == last.length
        && ByteBufUtil.equals(payload, payload.readerIndex(), Unpooled.wrappedBuffer(last), 0, last.length);
  }

  /** Remembers {@code payload}, a metadata message passed on (null: none, as when a publish ends). */
  void metadataPassed(ByteBuf payload) {
    lastMetadata = payload == null ? null : ByteBufUtil.getBytes(payload);
  }

  /**
   * Keeps a copy of {@code payload} when it is a sequence header: few per session, at most
   * rtmp.max-message-size each, and no more than one of each kind at a time.
   */
  void mediaPassed(MediaKind kind, ByteBuf payload) {
    if (kind == MediaKind.VIDEO && FlvTags.isVideoSequenceHeader(payload)) {
      videoConfig = ByteBufUtil.getBytes(payload);
    } else if (kind == MediaKind.AUDIO && FlvTags.isAudioSequenceHeader(payload)) {
      audioConfig = ByteBufUtil.getBytes(payload);
    }
  }

  /** What the publish passed on that a player needs before frames. */
  Configs configs() {
    return new Configs(lastMetadata, videoConfig, audioConfig);
  }

  /** The publish ended: what it passed on is forgotten. */
  void publishEnded() {
    lastMetadata = null;
    videoConfig = null;
    audioConfig = null;
  }

  /** Whether a publish or play runs or waits on it. */
  boolean inUse() {
    return publishing != null || playing != null || pending;
  }
}
