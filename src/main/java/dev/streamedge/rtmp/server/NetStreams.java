package dev.streamedge.rtmp.server;

import dev.streamedge.auth.AuthService;
import dev.streamedge.rtmp.ProtocolException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The message streams of one connection: made by {@code createStream} (RTMP 1.0 §7.2.1.3), at most
 * {@code rtmp.max-streams-per-connection}; ended by {@code closeStream}, {@code deleteStream}
 * (§7.2.2.3) or the connection's end, each end told to the publish or play flow and to auth. On the
 * connection's context only.
 */
final class NetStreams {

  private final Map<Integer, NetStream> streams = new HashMap<>();
  private final int max;
  private final PublishFlow publish;
  private final PlayFlow play;
  private final AuthService auth;
  private int nextId = RtmpWire.FIRST_STREAM_ID;

  NetStreams(int max, PublishFlow publish, PlayFlow play, AuthService auth) {
    this.max = max;
    this.publish = publish;
    this.play = play;
    this.auth = auth;
  }

  /** The stream of message stream {@code id}, or null. */
  NetStream get(int id) {
    return streams.get(id);
  }

  /** Makes an idle stream and returns its id, or -1 when the connection holds as many as allowed. */
  int create() {
    if (streams.size() >= max) {
      return -1;
    }
    int id = nextId++;
    streams.put(id, new NetStream());
    return id;
  }

  /** The stream {@code command} starts on: one that was created and is idle, else a protocol error. */
  NetStream idle(int id, String command) throws ProtocolException {
    NetStream stream = streams.get(id);
    if (stream == null) {
      throw new ProtocolException(command + " on message stream " + id + " that was not created");
    }
    if (stream.inUse()) {
      throw new ProtocolException(command + " on message stream " + id + " that is already in use");
    }
    return stream;
  }

  /** Ends what stream {@code id} publishes or plays, if anything; the stream stays, idle. */
  void stop(int id, String why) {
    NetStream stream = streams.get(id);
    if (stream == null) {
      return;
    }
    if (stream.publishing != null) {
      publish.stop(stream, why);
    }
    if (stream.playing != null) {
      play.stop(stream, why);
    }
    if (stream.unwatch != null) {
      stream.unwatch.run();
      stream.unwatch = null;
    }
    if (stream.auth != null) {
      auth.ended(stream.auth);
      stream.auth = null;
    }
  }

  void delete(int id, String why) {
    stop(id, why);
    streams.remove(id);
  }

  /** Stops every stream and forgets them: the connection closes. */
  void stopAll(String why) {
    for (Integer id : new ArrayList<>(streams.keySet())) {
      stop(id, why);
    }
    streams.clear();
  }

  /**
   * The node is shutting down: every player is told its stream is unpublished and stopped.
   *
   * @return whether a stream of the connection still publishes
   */
  boolean releasePlayers() {
    boolean publishing = false;
    for (Map.Entry<Integer, NetStream> entry : streams.entrySet()) {
      NetStream stream = entry.getValue();
      if (stream.playing != null) {
        play.shuttingDown(entry.getKey());
        stop(entry.getKey(), "server shutting down");
      }
      publishing |= stream.publishing != null;
    }
    return publishing;
  }

  /**
   * nginx-rtmp's redirect: each stream that plays or publishes ends its play or publish and plays or
   * publishes {@code name} of the same app instead, asked of auth again, on the same message stream. A player
   * hears no Play.Stop (ffmpeg would end on it), then StreamBegin, Play.Reset and Play.Start, and the new
   * stream from its GOP cache. A publisher hears nothing unless the new publish is refused; its new stream
   * starts with the metadata and sequence headers it sent to the old one.
   */
  void redirect(String name) {
    for (Map.Entry<Integer, NetStream> entry : new ArrayList<>(streams.entrySet())) {
      NetStream stream = entry.getValue();
      if (stream.playing != null) {
        stop(entry.getKey(), "redirected to " + name);
        play.play(entry.getKey(), stream, name, CommandFields.NONE);
      } else if (stream.publishing != null && !stream.publishing.key().name().equals(name)) {
        NetStream.Configs configs = stream.configs();
        stop(entry.getKey(), "redirected to " + name);
        stream.carried = configs;
        publish.publish(entry.getKey(), stream, name, CommandFields.NONE);
      }
    }
  }

  /**
   * SetBufferLength (RTMP 1.0 §7.1.7): the player's buffer on message stream {@code id}, kept for a play that
   * starts later (clients send it before or after {@code play}) and told to one that runs.
   */
  void bufferLength(int id, long millis) {
    NetStream stream = streams.get(id);
    if (stream != null) {
      stream.bufferMillis = millis;
      if (stream.playing != null) {
        stream.playing.bufferMillis(millis);
      }
    }
  }

  /** {@code seek} on message stream {@code id}: false when nothing there can seek. */
  boolean seek(int id, long millis) {
    NetStream stream = streams.get(id);
    return stream != null && stream.playing != null && stream.playing.seek(millis);
  }

  /** {@code pause} on message stream {@code id}: false when nothing there can pause. */
  boolean pause(int id, boolean paused, long millis) {
    NetStream stream = streams.get(id);
    return stream != null && stream.playing != null && stream.playing.pause(paused, millis);
  }

  /** The connection can be written to again: its players send what they hold. */
  void writable() {
    streams.values().forEach(s -> {
      if (s.playing != null) {
        s.playing.drain();
      }
    });
  }

  /** The stream that names the connection for the API: a publishing one, else the first playing one, else null. */
  NetStream naming() {
    NetStream named = null;
    for (NetStream stream : streams.values()) {
      if (stream.publishing != null) {
        return stream;
      }
      if (stream.playing != null && named == null) {
        named = stream;
      }
    }
    return named;
  }

  boolean publishing() {
    for (NetStream stream : streams.values()) {
      if (stream.publishing != null) {
        return true;
      }
    }
    return false;
  }

  /** Whether a stream publishes, plays, or waits to. */
  boolean inUse() {
    for (NetStream stream : streams.values()) {
      if (stream.inUse()) {
        return true;
      }
    }
    return false;
  }
}
