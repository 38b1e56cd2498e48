package dev.streamedge.testing;

import dev.streamedge.flv.FlvTags;
import dev.streamedge.rtmp.client.RtmpPlayClient;
import dev.streamedge.rtmp.message.MessageType;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Plays with {@link RtmpPlayClient} and records what arrives, for assertions from the test thread. */
public final class RecordingPlayer implements RtmpPlayClient.Listener {

  /** One received media message. */
  public record Frame(int typeId, long timestamp, boolean keyframe, boolean config, long receivedNanos) {
  }

  public final List<String> statuses = new CopyOnWriteArrayList<>();
  public final List<Frame> frames = new CopyOnWriteArrayList<>();
  public volatile String closedReason;
  public volatile long closedNanos;
  private RtmpPlayClient client;

  public static RecordingPlayer play(Vertx vertx, int port, String key) throws Exception {
    return play(vertx, new NetClientOptions().setTcpNoDelay(true), port, key);
  }

  public static RecordingPlayer play(Vertx vertx, NetClientOptions options, int port, String key) throws Exception {
    return play(vertx, options, "127.0.0.1", port, key);
  }

  /** Plays {@code live/<key>} from the node at {@code host:port}. */
  public static RecordingPlayer play(Vertx vertx, String host, int port, String key) throws Exception {
    return play(vertx, new NetClientOptions().setTcpNoDelay(true), host, port, key);
  }

  public static RecordingPlayer play(Vertx vertx, NetClientOptions options, String host, int port, String key)
      throws Exception {
    RecordingPlayer player = new RecordingPlayer();
    player.client = RtmpPlayClient.play(vertx, options, host, port, "live", key, player)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return player;
  }

  public RtmpPlayClient client() {
    return client;
  }

  public List<Frame> video() {
    return frames.stream().filter(f -> f.typeId() == MessageType.VIDEO).toList();
  }

  public long keyframes() {
    return video().stream().filter(Frame::keyframe).count();
  }

  @Override
  public void status(String code) {
    statuses.add(code);
  }

  @Override
  public void media(int typeId, long timestamp, ByteBuf payload) {
    boolean video = typeId == MessageType.VIDEO;
    boolean config = video ? FlvTags.isVideoSequenceHeader(payload)
        : typeId == MessageType.AUDIO && FlvTags.isAudioSequenceHeader(payload);
    frames.add(new Frame(typeId, timestamp, video && FlvTags.isVideoKeyframe(payload), config, System.nanoTime()));
  }

  @Override
  public void closed(String reason) {
    closedNanos = System.nanoTime();
    closedReason = reason;
  }
}
