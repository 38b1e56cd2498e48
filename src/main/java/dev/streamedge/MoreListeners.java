package dev.streamedge;

import dev.streamedge.rtsp.server.RtspServer;
import dev.streamedge.rtsp.server.RtspServerVerticle;
import dev.streamedge.srt.server.SrtListenerVerticle;
import dev.streamedge.srt.server.SrtServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The node's listeners beside RTMP's and HTTP's, each deployed when its section enables it: SRT's UDP listener
 * ({@code srt.*}, one for the node) and RTSP's ({@code rtsp.*}, one per event loop, as RTMP's).
 */
final class MoreListeners {

  private final SrtServer srt;
  private final RtspServer rtsp;
  private volatile SrtListenerVerticle srtListener;
  private final Queue<RtspServerVerticle> rtspListeners = new ConcurrentLinkedQueue<>();

  MoreListeners(SrtServer srt, RtspServer rtsp) {
    this.srt = srt;
    this.rtsp = rtsp;
  }

  /** Deploys the enabled listeners; RTSP's as {@code perEventLoop} says. */
  Future<Void> deploy(Vertx vertx, DeploymentOptions perEventLoop) {
    SrtListenerVerticle srtVerticle = new SrtListenerVerticle(srt);
    Future<Void> srtDeployed = !srt.config().enabled() ? Future.succeededFuture()
        : vertx.deployVerticle(srtVerticle).onSuccess(id -> srtListener = srtVerticle).mapEmpty();
    return srtDeployed.compose(v -> !rtsp.config().enabled() ? Future.<Void>succeededFuture()
        : vertx.deployVerticle(() -> {
          RtspServerVerticle verticle = new RtspServerVerticle(rtsp);
          rtspListeners.add(verticle);
          return verticle;
        }, perEventLoop).<Void>mapEmpty());
  }

  /** The UDP port of the SRT listener, or -1 when {@code srt.enabled} is false. */
  int srtPort() {
    return srtListener == null ? -1 : srtListener.port();
  }

  /** The TCP port of the RTSP listener, or -1 when {@code rtsp.enabled} is false. */
  int rtspPort() {
    return rtspListeners.isEmpty() ? -1 : rtspListeners.peek().port();
  }

  /** The TCP port of the RTSPS listener, or -1 when RTSP or its TLS is off. */
  int rtspsPort() {
    return rtspListeners.isEmpty() ? -1 : rtspListeners.peek().tlsPort();
  }
}
