package dev.streamedge.testing;

import dev.streamedge.flv.FlvTag;
import dev.streamedge.flv.FlvTags;
import dev.streamedge.media.MediaKind;
import dev.streamedge.rtmp.client.RtmpClientOptions;
import dev.streamedge.rtmp.client.RtmpPlayClient;
import dev.streamedge.rtmp.client.RtmpUrl;
import dev.streamedge.rtmp.message.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Plays with {@link RtmpPlayClient} and records what arrives, for assertions from the test thread. */
public final class RecordingPlayer implements RtmpPlayClient.Listener {

  /** One received media message. */
  public record Frame(int typeId, long timestamp, boolean keyframe, boolean config, long receivedNanos) {
  }

  /** One received media message with its bytes, kept by a player made by {@link #playUrl}. */
  private record Tag(int typeId, long timestamp, byte[] body) {
  }

  public final List<String> statuses = new CopyOnWriteArrayList<>();
  public final List<Frame> frames = new CopyOnWriteArrayList<>();
  /** Null unless the player keeps what it receives. */
  private final List<Tag> tags;
  public volatile String closedReason;
  public volatile long closedNanos;
  private RtmpPlayClient client;

  private RecordingPlayer(boolean keep) {
    this.tags = keep ? new CopyOnWriteArrayList<>() : null;
  }

  /**
   * Plays {@code url}, over the variant its scheme names, keeping every media message's bytes for
   * {@link #writeFlv}. TLS variants trust the test certificate (src/test/resources/tls), host name checked.
   */
  public static RecordingPlayer playUrl(Vertx vertx, String url) throws Exception {
    RecordingPlayer player = new RecordingPlayer(true);
    NetClientOptions network = new NetClientOptions().setTcpNoDelay(true)
        .setTrustOptions(new PemTrustOptions().addCertPath("src/test/resources/tls/cert.pem"));
    player.client = RtmpPlayClient.play(vertx, RtmpClientOptions.of(network), RtmpUrl.parse(url), player)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return player;
  }

  /** Writes what a player made by {@link #playUrl} received as an FLV file, for ffmpeg to read. */
  public void writeFlv(Path file) throws Exception {
    ByteBuf out = Unpooled.buffer();
    FlvTag.writeHeader(out, true, true);
    for (Tag tag : tags) {
      MediaKind kind = tag.typeId() == MessageType.AUDIO ? MediaKind.AUDIO
          : tag.typeId() == MessageType.VIDEO ? MediaKind.VIDEO : MediaKind.DATA;
      FlvTag.write(out, kind, tag.timestamp(), Unpooled.wrappedBuffer(tag.body()));
    }
    Files.write(file, ByteBufUtil.getBytes(out));
  }

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
    RecordingPlayer player = new RecordingPlayer(false);
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
    if (tags != null) {
      tags.add(new Tag(typeId, timestamp, ByteBufUtil.getBytes(payload)));
    }
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
