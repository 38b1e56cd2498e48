package dev.streamedge.load;

import dev.streamedge.rtmp.client.RtmpPlayClient;
import dev.streamedge.rtmp.message.MessageType;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * An RTMP player of the load generator, over the variant of its target's scheme (RTMP, RTMPS, RTMPE, or
 * the RTMPT tunnel's RTMPT, RTMPTS, RTMPTE): {@link RtmpPlayClient} feeding a {@link PlayerTrack}.
 */
final class RtmpLoadPlayer implements LoadPlayer, RtmpPlayClient.Listener {

  private final PlayerTrack track;
  private volatile RtmpPlayClient client;

  private RtmpLoadPlayer(PlayerTrack track) {
    this.track = track;
  }

  /** Starts playing on {@code context}'s event loop. */
  static RtmpLoadPlayer start(Vertx vertx, Context context, StreamTarget target, LoadMeter meter) {
    RtmpLoadPlayer player = new RtmpLoadPlayer(new PlayerTrack(meter, System.nanoTime()));
    context.runOnContext(v -> RtmpPlayClient.play(vertx, target.options(), target.url(), player)
        .onComplete(played -> {
          if (played.succeeded()) {
            player.client = played.result();
            player.track.playSent(System.nanoTime());
          } else {
            player.track.failed(String.valueOf(played.cause().getMessage()));
          }
        }));
    return player;
  }

  @Override
  public void status(String code) {
    if (code.equals("NetStream.Play.Failed") || code.equals("NetStream.Play.StreamNotFound")) {
      track.failed(code);
    }
  }

  @Override
  public void media(int typeId, long timestamp, ByteBuf payload) {
    if (typeId == MessageType.VIDEO) {
      track.video(payload, System.nanoTime());
    }
  }

  @Override
  public void closed(String reason) {
    track.closed(reason);
  }

  @Override
  public PlayerTrack track() {
    return track;
  }

  @Override
  public long bytesReceived() {
    RtmpPlayClient playing = client;
    return playing == null ? 0 : playing.bytesReceived();
  }

  @Override
  public Future<Void> close() {
    track.closing();
    RtmpPlayClient playing = client;
    return playing == null ? Future.succeededFuture() : playing.close();
  }
}
