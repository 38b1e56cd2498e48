package dev.streamedge.rtmp.client;

import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.util.Map;

/**
 * A non-blocking RTMP player over any of the six variants: connect, createStream, play, then every media
 * and status message to a {@link Listener}. Unlike ffmpeg it stays on the connection after NetStream.Play.UnpublishNotify, as
 * Flash-era players and edge pullers do, so it can watch a publisher leave and come back. Used by the
 * tests and by the load generator.
 */
public final class RtmpPlayClient {

  /** Receives what the server sends, on the client's event loop. */
  public interface Listener {
    void status(String code);

    /**
     * An audio (8), video (9) or data (18) message of the played stream. With
     * {@link RtmpClientOptions#transientPayloads()}, {@code payload} is valid during this call only.
     */
    void media(int typeId, long timestamp, ByteBuf payload);

    void closed(String reason);
  }

  private static final int CSID_STREAM = 8;
  private static final int MAX_MESSAGE_SIZE = 16 * 1024 * 1024 - 1;

  private final String name;
  private final Listener listener;
  private final ClientSession session;
  private final Promise<RtmpPlayClient> playing = Promise.promise();

  private RtmpPlayClient(Vertx vertx, RtmpClientOptions options, RtmpUrl url, Listener listener) {
    this.name = url.name();
    this.listener = listener;
    // Players keep RTMP's 128-byte chunks for what little they send.
    this.session = new ClientSession(vertx, url, options, 128, MAX_MESSAGE_SIZE, new Role());
  }

  /**
   * Connects and plays {@code url}, over the variant its scheme names ({@code rtmp}, {@code rtmps},
   * {@code rtmpe}, {@code rtmpt}, {@code rtmpts}, {@code rtmpte}); completes once the play command is sent.
   */
  public static Future<RtmpPlayClient> play(Vertx vertx, RtmpClientOptions options, RtmpUrl url, Listener listener) {
    RtmpPlayClient client = new RtmpPlayClient(vertx, options, url, listener);
    client.session.connect().onFailure(client.playing::tryFail);
    return client.playing.future();
  }

  /** As {@link #play(Vertx, RtmpClientOptions, RtmpUrl, Listener)} with the default options. */
  public static Future<RtmpPlayClient> play(Vertx vertx, String url, Listener listener) {
    return play(vertx, RtmpClientOptions.defaults(), RtmpUrl.parse(url), listener);
  }

  /** Connects and plays {@code rtmp://host:port/app/name}; completes once the play command is sent. */
  public static Future<RtmpPlayClient> play(Vertx vertx, String host, int port, String app, String name,
      Listener listener) {
    return play(vertx, new NetClientOptions().setTcpNoDelay(true), host, port, app, name, listener);
  }

  /** As {@link #play(Vertx, String, int, String, String, Listener)} with socket options of its own. */
  public static Future<RtmpPlayClient> play(Vertx vertx, NetClientOptions options, String host, int port,
      String app, String name, Listener listener) {
    return play(vertx, RtmpClientOptions.of(options), RtmpUrl.of(Variant.RTMP, host, port, app, name), listener);
  }

  /** Stops reading, as a stalled viewer would (over RTMPT: stops polling). */
  public void pauseReading() {
    session.transport().pause();
  }

  public void resumeReading() {
    session.transport().resume();
  }

  public long bytesReceived() {
    return session.bytesIn();
  }

  public Future<Void> close() {
    return session.close();
  }

  /** What the session leaves to a player. */
  private final class Role implements ClientSession.Role {

    @Override
    public void connectProperties(Map<String, Object> properties) {
      properties.put("flashVer", "LNX 9,0,124,2");
      properties.put("fpad", false);
      properties.put("capabilities", 15.0);
      properties.put("audioCodecs", 4071.0);
      properties.put("videoCodecs", 252.0);
      properties.put("videoFunction", 1.0);
    }

    @Override
    public void streamCreated(int streamId) {
      session.command(CSID_STREAM, streamId, "play", 0.0, null, name, -2.0);
      playing.tryComplete(RtmpPlayClient.this);
    }

    @Override
    public void media(RtmpMessage message) {
      listener.media(message.typeId(), message.timestamp(), message.payload());
    }

    @Override
    public void status(Map<?, ?> info) {
      listener.status(String.valueOf(info.get("code")));
    }

    @Override
    public void ended(String reason) {
      playing.tryFail(reason);
      listener.closed(reason);
    }
  }
}
