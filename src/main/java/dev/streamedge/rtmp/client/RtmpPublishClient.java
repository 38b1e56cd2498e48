package dev.streamedge.rtmp.client;

import dev.streamedge.rtmp.amf.Amf0;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A non-blocking RTMP publisher over any of the six variants: connect, createStream, publish, then audio, video and data messages
 * as the caller sends them (the caller paces them). The counterpart of {@link RtmpPlayClient}, for the
 * load generator and the push relays. Call its methods on the event loop of the Vert.x context that created it.
 */
public final class RtmpPublishClient {

  private static final int CSID_DATA = 4;
  private static final int CSID_AUDIO = 5;
  private static final int CSID_VIDEO = 6;
  /** Large chunks cut the per-chunk header cost; nginx-rtmp and ffmpeg use 4096 too. */
  private static final int CHUNK_SIZE = 4096;
  private static final int MAX_MESSAGE_SIZE = 1024 * 1024;
  private static final String PUBLISH_START = "NetStream.Publish.Start";

  private final String name;
  private final Consumer<String> onClose;
  private final ClientSession session;
  private final Promise<RtmpPublishClient> publishing = Promise.promise();
  private int streamId;

  private RtmpPublishClient(Vertx vertx, RtmpClientOptions options, RtmpUrl url, Consumer<String> onClose) {
    this.name = url.name();
    this.onClose = onClose;
    this.session = new ClientSession(vertx, url, options, CHUNK_SIZE, MAX_MESSAGE_SIZE, new Role());
  }

  /**
   * Connects and publishes {@code url}, over the variant its scheme names; completes on
   * NetStream.Publish.Start and fails on any other answer. {@code onClose} hears of a connection lost
   * after that, with the reason.
   */
  public static Future<RtmpPublishClient> publish(Vertx vertx, RtmpClientOptions options, RtmpUrl url,
      Consumer<String> onClose) {
    return of(vertx, options, url, onClose).start();
  }

  /**
   * A publisher of {@code url} that has not connected yet: {@link #start()} connects. For a caller that
   * may need to {@link #close()} it before the publish completes (a relay's connect timeout).
   */
  public static RtmpPublishClient of(Vertx vertx, RtmpClientOptions options, RtmpUrl url, Consumer<String> onClose) {
    return new RtmpPublishClient(vertx, options, url, onClose);
  }

  /** Connects and publishes, as {@link #publish(Vertx, RtmpClientOptions, RtmpUrl, Consumer)}; once. */
  public Future<RtmpPublishClient> start() {
    session.connect().onFailure(publishing::tryFail);
    return publishing.future();
  }

  /** Publishes {@code rtmp://host:port/app/name}, as {@link #publish(Vertx, RtmpClientOptions, RtmpUrl, Consumer)}. */
  public static Future<RtmpPublishClient> publish(Vertx vertx, String host, int port, String app, String name,
      Consumer<String> onClose) {
    return publish(vertx, RtmpClientOptions.defaults(), RtmpUrl.of(Variant.RTMP, host, port, app, name), onClose);
  }

  /** Sends {@code @setDataFrame} with the AMF0 values of an FLV script tag (onMetaData and its array). */
  public void sendMetadata(long timestamp, ByteBuf scriptBody) {
    ByteBuf payload = Unpooled.wrappedBuffer(Amf0.encodeAll("@setDataFrame"), scriptBody.retainedSlice());
    session.send(new RtmpMessage(CSID_DATA, MessageType.DATA_AMF0, streamId, timestamp, payload));
  }

  /** Sends a data message other than onMetaData (onTextData, onCuePoint...) as it is. */
  public void sendData(long timestamp, ByteBuf body) {
    session.send(new RtmpMessage(CSID_DATA, MessageType.DATA_AMF0, streamId, timestamp, body));
  }

  public void sendAudio(long timestamp, ByteBuf body) {
    session.send(new RtmpMessage(CSID_AUDIO, MessageType.AUDIO, streamId, timestamp, body));
  }

  public void sendVideo(long timestamp, ByteBuf body) {
    session.send(new RtmpMessage(CSID_VIDEO, MessageType.VIDEO, streamId, timestamp, body));
  }

  /** Whether the connection's write queue is full: write nothing more until the drain handler runs. */
  public boolean writeQueueFull() {
    return session.transport().writeQueueFull();
  }

  /** Runs {@code handler} on this client's event loop whenever a full write queue has room again. */
  public void drainHandler(Runnable handler) {
    session.transport().drainHandler(handler);
  }

  /** Bytes sent so far after the handshake, chunk headers included. */
  public long bytesSent() {
    return session.bytesOut();
  }

  public Future<Void> close() {
    return session.close();
  }

  /** What the session leaves to a publisher. */
  private final class Role implements ClientSession.Role {

    @Override
    public void connectProperties(Map<String, Object> properties) {
      properties.put("type", "nonprivate");
      properties.put("flashVer", "FMLE/3.0 (compatible; streamedge)");
    }

    /**
     * releaseStream and FCPublish, as OBS, FMLE and ffmpeg send them before createStream: YouTube's and
     * Twitch's ingest expect them; servers that do not (nginx-rtmp answers neither) ignore them.
     */
    @Override
    public List<String[]> beforeCreateStream() {
      return List.of(new String[] {"releaseStream", name}, new String[] {"FCPublish", name});
    }

    @Override
    public void streamCreated(int id) {
      streamId = id;
      session.command(CSID_DATA, streamId, "publish", 0.0, null, name, "live");
    }

    @Override
    public void status(Map<?, ?> info) {
      String code = String.valueOf(info.get("code"));
      if (code.equals(PUBLISH_START)) {
        publishing.tryComplete(RtmpPublishClient.this);
      } else if ("error".equals(info.get("level")) && !publishing.future().isComplete()) {
        session.fail("publish refused: " + code);
      }
    }

    @Override
    public void ended(String reason) {
      publishing.tryFail(reason);
      onClose.accept(reason);
    }
  }
}
