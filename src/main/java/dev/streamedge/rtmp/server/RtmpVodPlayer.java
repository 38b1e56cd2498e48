package dev.streamedge.rtmp.server;

import dev.streamedge.media.MediaKind;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.vod.FilePlayback;
import dev.streamedge.vod.VodLibrary;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One play of a file on demand on one message stream: the {@link FilePlayback}'s tags as this stream's
 * messages, and the statuses players of recorded streams expect around them (as nginx-rtmp's {@code play}
 * and Flash Media Server send them): at a seek StreamBegin, NetStream.Seek.Notify and NetStream.Play.Start;
 * at a pause NetStream.Pause.Notify or NetStream.Unpause.Notify; at the end StreamEOF,
 * onPlayStatus(NetStream.Play.Complete) and NetStream.Play.Stop, on which ffmpeg and rtmpdump end. The first
 * onMetaData carries the file's length ({@link FileMetadata}). On the
 * connection's context; holds a place of {@code vod.max-sessions} until it stops.
 */
final class RtmpVodPlayer implements Playing, FilePlayback.Sink {

  private final RtmpConnection connection;
  private final ConnectionWriter writer;
  private final int streamId;
  private final StreamKey key;
  private final VodLibrary library;
  private final FilePlayback playback;
  private long lastTimestamp;
  private boolean stopped;
  /** A tag was written: the first is where the file's length goes (see {@link FileMetadata}). */
  private boolean tagWritten;

  /**
   * A play of {@code file} that holds a place of {@code library}'s, taken by the caller. {@code bufferMillis}: the
   * player's SetBufferLength, -1 when it sent none; {@code maxTagSize}: a larger tag is bad input.
   */
  RtmpVodPlayer(RtmpConnection connection, int streamId, StreamKey key, VodLibrary library, Path file,
      long bufferMillis, int maxTagSize) {
    this.connection = connection;
    this.writer = connection.writer();
    this.streamId = streamId;
    this.key = key;
    this.library = library;
    this.playback = new FilePlayback(connection.context(), file, ahead(bufferMillis), maxTagSize,
        library.maxIndexBytes(), this);
  }

  FilePlayback playback() {
    return playback;
  }

  @Override
  public StreamKey key() {
    return key;
  }

  @Override
  public long dropped() {
    return 0;
  }

  @Override
  public void drain() {
    playback.drain();
  }

  @Override
  public void stop() {
    if (!stopped) {
      stopped = true;
      playback.stop();
      library.release();
    }
  }

  @Override
  public boolean seek(long millis) {
    playback.seek(millis, at -> {
      lastTimestamp = at;
      writer.streamBegin(streamId);
      writer.status(streamId, "status", "NetStream.Seek.Notify", "Seeking " + at + " (stream ID: " + streamId + ").");
      writer.status(streamId, "status", "NetStream.Play.Start", "Started playing " + key.name() + ".");
    });
    return true;
  }

  @Override
  public boolean pause(boolean paused, long millis) {
    playback.pause(paused);
    if (paused) {
      writer.status(streamId, "status", "NetStream.Pause.Notify", "Paused " + key.name() + ".");
    } else {
      writer.status(streamId, "status", "NetStream.Unpause.Notify", "Unpaused " + key.name() + ".");
    }
    return true;
  }

  @Override
  public void bufferMillis(long millis) {
    playback.bufferMillis(ahead(millis));
  }

  /** How far ahead of the clock a player with a buffer of {@code millis} (-1: none told) gets a file. */
  static long ahead(long millis) {
    // Half a second at least: the timers that pace the file fire late under load, and a player should
    // not run dry waiting for them. 1 s when the player told none (nginx-rtmp's default buflen).
    return millis < 0 ? 1000 : Math.max(500, millis);
  }

  @Override
  public boolean full() {
    return writer.full();
  }

  @Override
  public void tag(MediaKind kind, long timestamp, ByteBuf body) {
    lastTimestamp = timestamp;
    if (!tagWritten) {
      tagWritten = true;
      OptionalLong duration = playback.durationMillis();
      if (duration.isPresent() && kind == MediaKind.DATA) {
        body = FileMetadata.withDuration(body, duration.getAsLong());
      } else if (duration.isPresent()) {
        // No onMetaData first (a file without one, or a play from a later start): one with the length alone.
        writer.writeMedia(writer.encodeMedia(MediaKind.DATA, timestamp, FileMetadata.of(duration.getAsLong()),
            streamId));
      }
    }
    writer.writeMedia(writer.encodeMedia(kind, timestamp, body, streamId));
  }

  @Override
  public void ended() {
    writer.streamEof(streamId);
    Map<String, Object> complete = new LinkedHashMap<>();
    complete.put("level", "status");
    complete.put("code", "NetStream.Play.Complete");
    complete.put("duration", lastTimestamp / 1000.0);
    complete.put("bytes", 0.0);
    writer.data(streamId, "onPlayStatus", complete);
    writer.status(streamId, "status", "NetStream.Play.Stop", "Stopped playing " + key.name() + ".");
    connection.stopStream(streamId, "file played to its end");
  }

  @Override
  public void failed(String reason) {
    ConnectionLogs.PLAY.warn("play {} stream={} file failed: {}", connection.peer(), key, reason);
    writer.status(streamId, "error", "NetStream.Play.Failed", "Cannot play " + key.name() + ".");
    connection.stopStream(streamId, "file failed: " + reason);
  }
}
