package dev.streamedge.rtmp.server;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts RTMP (or, with {@code tls}, RTMPS) connections. Deployed once per event loop on the same
 * port, so Vert.x spreads connections over all cores.
 */
public final class RtmpServerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RtmpServerVerticle.class);

  private final RtmpServer server;
  private final boolean tls;
  private NetServer netServer;

  public RtmpServerVerticle(RtmpServer server, boolean tls) {
    this.server = server;
    this.tls = tls;
  }

  @Override
  public Future<?> start() {
    var config = server.config();
    NetServerOptions options = new NetServerOptions()
        .setHost(config.host())
        .setPort(tls ? config.rtmps().port() : config.port())
        .setTcpNoDelay(true)
        .setSendBufferSize(server.socketSendBuffer())
        .setReuseAddress(true);
    if (tls) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(config.rtmps().cert())
          .setKeyPath(config.rtmps().key()));
    }
    netServer = vertx.createNetServer(options);
    netServer.connectHandler(socket -> {
      if (!server.tryOpen()) {
        LOG.warn("refused {}: rtmp.max-connections ({}) reached", socket.remoteAddress(),
            config.maxConnections());
        socket.close();
        return;
      }
      new RtmpConnection(server, socket, context).start();
    });
    return netServer.listen();
  }

  /** The port actually bound (differs from the configured one when that is 0). */
  public int actualPort() {
    return netServer.actualPort();
  }
}
