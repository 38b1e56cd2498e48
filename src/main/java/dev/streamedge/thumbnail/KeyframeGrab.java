package dev.streamedge.thumbnail;

import dev.streamedge.flv.FlvTag;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.stream.StreamSubscriber;
import dev.streamedge.stream.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;

/**
 * Takes a stream's next video keyframe (the GOP cache's, at once, when the stream has one) and its sequence
 * header, as an FLV file of those two tags that any ffmpeg decodes alone; then it leaves the stream. Not a viewer.
 * Each tag is copied out as it comes: nothing of the stream's buffers is kept. On its context.
 */
final class KeyframeGrab implements StreamSubscriber {

  private final Context context;
  private final long maxBytes;
  private final Promise<byte[]> flv;
  private byte[] videoConfig;
  private Subscription subscription;

  KeyframeGrab(Context context, long maxBytes) {
    this.context = context;
    this.maxBytes = maxBytes;
    this.flv = Promise.promise();
  }

  /** The FLV file, or a {@link ThumbnailRefusal} when the keyframe is over {@code maxBytes}. */
  Future<byte[]> flv() {
    return flv.future();
  }

  void start(Subscription subscription) {
    this.subscription = subscription;
    if (flv.future().isComplete()) {
      subscription.cancel();
    }
  }

  /** Gives up (the caller's timeout): the stream is left, the future fails with {@code why}. */
  void abandon(ThumbnailRefusal why) {
    if (flv.tryFail(why) && subscription != null) {
      subscription.cancel();
    }
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void attached(List<MediaPacket> startPackets, boolean live) {
    for (MediaPacket packet : startPackets) {
      packet(packet);
    }
  }

  @Override
  public void packet(MediaPacket packet) {
    if (packet.kind() != MediaKind.VIDEO || flv.future().isComplete()) {
      return;
    }
    if (packet.isConfig()) {
      videoConfig = ByteBufUtil.getBytes(packet.body());
    } else if (packet.isSync() && videoConfig != null) {
      if (packet.size() > maxBytes) {
        finish(null, new ThumbnailRefusal(502, "the keyframe of " + packet.size()
            + " bytes is larger than thumbnail.max-size"));
        return;
      }
      finish(file(videoConfig, packet.body()), null);
    }
  }

  private void finish(byte[] file, ThumbnailRefusal refusal) {
    boolean done = refusal == null ? flv.tryComplete(file) : flv.tryFail(refusal);
    if (done && subscription != null) {
      subscription.cancel();
    }
  }

  /** An FLV file of video only (E.4.1 of the FLV spec): the header, the sequence header and the keyframe at 0. */
  static byte[] file(byte[] config, ByteBuf keyframe) {
    ByteBuf out = Unpooled.buffer(FlvTag.HEADER_LENGTH + 2 * FlvTag.OVERHEAD + config.length + keyframe.readableBytes());
    FlvTag.writeHeader(out, false, true);
    FlvTag.write(out, MediaKind.VIDEO, 0, Unpooled.wrappedBuffer(config));
    FlvTag.write(out, MediaKind.VIDEO, 0, keyframe);
    return ByteBufUtil.getBytes(out);
  }

  @Override
  public void published() {
  }

  @Override
  public void unpublished() {
  }
}
