package dev.streamedge.rtmp.server;

import dev.streamedge.auth.AuthAction;
import dev.streamedge.auth.AuthRequest;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.vod.FilePlayback;
import dev.streamedge.vod.VodLibrary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The play flow on a connection's message streams (RTMP 1.0 §7.3.2): the name, auth, the messages a
 * player expects before media, then an {@link RtmpPlayer} that joins the stream (its GOP cache first)
 * and writes to the connection. The twin of {@link PublishFlow}. On the connection's context.
 */
final class PlayFlow {

  private final RtmpConnection connection;
  private final StreamAccess access;
  private final RtmpServer server;
  private final ConnectionWriter writer;

  PlayFlow(RtmpConnection connection, StreamAccess access, RtmpServer server, ConnectionWriter writer) {
    this.connection = connection;
    this.access = access;
    this.server = server;
    this.writer = writer;
  }

  /** {@code play} on an idle message stream, with what the command said besides the name. */
  void play(int streamId, NetStream stream, String rawName, List<Map.Entry<String, String>> commandFields) {
    // In an app of files, "mp4:movie.mp4" (what ffmpeg sends for rtmp://host/vod/movie.mp4) is movie.mp4.
    String asked = rawName != null && server.vod().serves(access.app()) ? VodLibrary.withoutPrefix(rawName)
        : rawName;
    StreamName name = access.nameOrRefuse(streamId, asked, "play", "NetStream.Play.StreamNotFound");
    if (name == null) {
      return;
    }
    StreamKey key = access.key(name);
    AuthRequest request = access.request(AuthAction.PLAY, key, name.query(), commandFields);
    stream.pending = true;
    server.auth().check(request).onComplete(checked -> {
      stream.pending = false;
      if (!connection.holds(streamId, stream)) {
        return;
      }
      if (!checked.result().allowed()) {
        access.refuseUnauthorized(streamId, "NetStream.Play.Failed", "play", key, checked.result().reason());
        return;
      }
      StreamKey played = checked.result().streamFor(key);
      if (!played.equals(key)) {
        // nginx-rtmp's on_play rename: the player plays the stream the callback named; the name it asked for
        // (a ticket, say) stays in its update and done events, as nginx-rtmp's, and out of the line.
        ConnectionLogs.PLAY.info("play renamed {} stream={} by the play callback", connection.peer(), played);
      }
      if (!checked.result().redirect().isEmpty()) {
        // nginx-rtmp's on_play redirect to rtmp://...: the node pulls the stream from there, and the
        // player plays it here as any other.
        ConnectionLogs.PLAY.info("play {} stream={} redirected by the callback to {}", connection.peer(), key,
            checked.result().redirect());
        server.registry().redirected(key, checked.result().redirect());
      }
      start(streamId, stream, played, request, !checked.result().redirect().isEmpty());
    });
  }

  /** Plays {@code key}; {@code pulled} when a play callback's redirect has the node pull it from elsewhere. */
  private void start(int streamId, NetStream stream, StreamKey key, AuthRequest request, boolean pulled) {
    if (server.vod().serves(key.app())) {
      startFile(streamId, stream, key, request);
      return;
    }
    boolean idleStreams = server.config().idleStreams();
    if (!idleStreams && !pulled && !server.registry().isAvailable(key)) {
      // nginx-rtmp's idle_streams off (ngx_rtmp_live_join): the answer, then the session ends.
      server.auth().ended(request);
      writer.status(streamId, "error", "NetStream.Play.StreamNotFound", "No such stream: " + key.name() + ".");
      ConnectionLogs.REFUSED.info("play refused {} stream={} reason=not published, rtmp.idle-streams off",
          connection.peer(), key);
      connection.end("play refused: " + key + " is not published and rtmp.idle-streams is off");
      return;
    }
    started(streamId, key);
    RtmpPlayer player = new RtmpPlayer(connection, streamId, key, server.wireFormat(), server.player(),
        writer.meters(), !idleStreams);
    stream.playing = player;
    stream.auth = request;
    stream.unwatch = server.auth().watch(request, connection::end);
    player.play(server.registry());
    ConnectionLogs.PLAY.info("play {} stream={} protocol={}", connection.peer(), key, connection.protocol().label());
  }

  /** What a player hears before its media, live or from a file. */
  private void started(int streamId, StreamKey key) {
    // Over RTMPE the first play, not connect, announces the chunk size (see ConnectionWriter#announceChunkSize).
    writer.announceChunkSize(server.chunkSize());
    // The order players expect: StreamBegin, Play.Reset, Play.Start, |RtmpSampleAccess, then media.
    writer.streamBegin(streamId);
    writer.status(streamId, "status", "NetStream.Play.Reset", "Playing and resetting " + key.name() + ".");
    writer.status(streamId, "status", "NetStream.Play.Start", "Started playing " + key.name() + ".");
    writer.data(streamId, "|RtmpSampleAccess", true, true);
  }

  /**
   * A play in an app of {@code vod.apps}: the file the name gives, from its start, once it is open; a name
   * with no file is answered NetStream.Play.StreamNotFound, as nginx-rtmp does, and the stream stays idle.
   */
  private void startFile(int streamId, NetStream stream, StreamKey key, AuthRequest request) {
    VodLibrary library = server.vod();
    if (!library.admit()) {
      writer.status(streamId, "error", "NetStream.Play.Failed", "Too many files playing; try again later.");
      ConnectionLogs.REFUSED.info("play refused {} stream={} reason=vod.max-sessions reached", connection.peer(), key);
      server.auth().ended(request);
      return;
    }
    Path file = library.file(key.app(), key.name());
    RtmpVodPlayer player = new RtmpVodPlayer(connection, streamId, key, library, file, stream.bufferMillis,
        (int) server.config().maxMessageSize().bytes());
    long startMillis = startMillis(request);
    stream.pending = true;
    player.playback().open().onComplete(opened -> {
      stream.pending = false;
      if (!connection.holds(streamId, stream)) {
        player.stop();
        server.auth().ended(request);
        return;
      }
      if (opened.failed()) {
        player.stop();
        server.auth().ended(request);
        if (opened.cause() instanceof FilePlayback.Unplayable why && why.missing()) {
          writer.status(streamId, "error", "NetStream.Play.StreamNotFound", "No such file: " + key.name() + ".");
          ConnectionLogs.PLAY.info("play {} stream={} not found: {}", connection.peer(), key, why.getMessage());
        } else {
          // A file that is there but not one to play (neither FLV nor MP4, an MP4 index that does not read).
          writer.status(streamId, "error", "NetStream.Play.Failed", "Cannot play " + key.name() + ".");
          ConnectionLogs.PLAY.warn("play {} stream={} file failed: {}", connection.peer(), key,
              opened.cause().getMessage());
        }
        return;
      }
      started(streamId, key);
      stream.playing = player;
      stream.auth = request;
      stream.unwatch = server.auth().watch(request, connection::end);
      // SetBufferLength may have come while the file opened (ffmpeg sends it right after play).
      player.bufferMillis(stream.bufferMillis);
      // play's Start argument (rtmpdump --start): from the keyframe before it, with no Seek.Notify.
      player.playback().start(startMillis);
      ConnectionLogs.PLAY.info("play {} stream={} protocol={} file={}", connection.peer(), key,
          connection.protocol().label(), file);
    });
  }

  /**
   * play's Start argument (RTMP 1.0 §7.2.2.1) in milliseconds, as the session's fields carry it (nginx-rtmp's
   * unsigned form): -2 (live or recorded) and -1 (live) are 0 here, the start of the file.
   */
  private static long startMillis(AuthRequest request) {
    for (Map.Entry<String, String> field : request.session()) {
      if (field.getKey().equals("start")) {
        long start = Long.parseLong(field.getValue());
        return start < 0x80000000L ? start : 0;
      }
    }
    return 0;
  }

  /** The node is shutting down: the player of {@code streamId} is told its stream is unpublished. */
  void shuttingDown(int streamId) {
    writer.streamEof(streamId);
    writer.status(streamId, "status", "NetStream.Play.UnpublishNotify", "The server is shutting down.");
  }

  /** Ends the play of {@code stream}, which is playing. */
  void stop(NetStream stream, String why) {
    ConnectionLogs.STOP.info("stop {} stream={} reason={} dropped={}", connection.peer(), stream.playing.key(), why,
        stream.playing.dropped());
    stream.playing.stop();
    stream.playing = null;
  }
}
