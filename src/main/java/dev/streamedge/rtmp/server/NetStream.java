package dev.streamedge.rtmp.server;

import dev.streamedge.auth.AuthRequest;
import dev.streamedge.stream.PublishSession;

/**
 * One message stream of a connection, made by {@code createStream} (RTMP 1.0 §7.2.1.3): idle, waiting
 * for auth or the stream registry, publishing (see {@link PublishFlow}) or playing (see {@link PlayFlow}).
 * On the connection's context only.
 */
final class NetStream {

  PublishSession publishing;
  RtmpPlayer playing;
  /** A publish or play waits for auth or for the stream registry. */
  boolean pending;
  /** The allowed publish or play, told to the done callbacks when it ends. */
  AuthRequest auth;
  /** The wall-clock second whose script data messages {@link #dataInSecond} counts. */
  long dataSecond;
  int dataInSecond;

  /** Whether a publish or play runs or waits on it. */
  boolean inUse() {
    return publishing != null || playing != null || pending;
  }
}
