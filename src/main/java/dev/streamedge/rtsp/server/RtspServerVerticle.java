package dev.streamedge.rtsp.server;

import dev.streamedge.config.HttpConfig;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.net.EventLoopSocket;
import dev.streamedge.net.EventLoops;
import dev.streamedge.net.LoopFlushes;
import dev.streamedge.net.TlsEngines;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTSP listener of {@code rtsp.port} on one event loop, and the RTSPS one of {@code rtsp.tls.port} when its
 * certificate is set (RTSP over TLS, {@code rtsps://}: the same connections once the TLS handshake is done); the
 * node deploys one per loop and Vert.x spreads the connections over them. Connections past {@code
 * rtsp.max-connections}, both listeners counted, are closed as they come.
 */
public final class RtspServerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RtspServerVerticle.class);
  private static final RateLimitedLog REFUSED_LOG = RateLimitedLog.of(LOG, "refused");

  private final RtspServer server;
  private NetServer listener;
  private NetServer tlsListener;
  /** The media flushes of this verticle's event loop, which its connections' sockets are on. */
  private LoopFlushes flushes;

  public RtspServerVerticle(RtspServer server) {
    this.server = server;
  }

  @Override
  public Future<?> start() {
    flushes = new LoopFlushes(EventLoops.loopOf(context));
    listener = listener(options(server.config().port()));
    Future<?> listening = listener.listen();
    HttpConfig.Tls tls = server.config().tls();
    if (!tls.enabled()) {
      return listening;
    }
    tlsListener = listener(options(tls.port()).setSsl(true)
        .setSslEngineOptions(TlsEngines.of(tls.preferOpenSsl()))
        .setEnabledSecureTransportProtocols(tls.versionSet())
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert()).setKeyPath(tls.key())));
    return listening.compose(v -> tlsListener.listen());
  }

  private NetServerOptions options(int port) {
    return new NetServerOptions()
        .setHost(server.config().host())
        .setPort(port)
        .setTcpNoDelay(true)
        // As for every player's socket: what the kernel holds for a slow reader is lag the server cannot see.
        .setSendBufferSize((int) server.player().socketSendBuffer().bytes())
        .setReuseAddress(true);
  }

  private NetServer listener(NetServerOptions options) {
    NetServer created = vertx.createNetServer(options);
    created.connectHandler(socket -> {
      if (server.open().incrementAndGet() > server.config().maxConnections()) {
        server.open().decrementAndGet();
        REFUSED_LOG.warn("refused {}: rtsp.max-connections ({}) reached", socket.remoteAddress(),
            server.config().maxConnections());
        server.metrics().refused(Refusal.LIMIT);
        socket.close();
        return;
      }
      // Written on its event loop only, as an RTMP connection is: no NetSocket and its write queue per player.
      new RtspConnection(server, EventLoopSocket.adopt(socket), context, flushes).start();
    });
    return created;
  }

  /** The port listened on (the configured one, or the one the system chose for 0). */
  public int port() {
    return listener.actualPort();
  }

  /** The RTSPS port listened on, or -1 when RTSPS is off. */
  public int tlsPort() {
    return tlsListener == null ? -1 : tlsListener.actualPort();
  }
}
