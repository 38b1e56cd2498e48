package dev.streamedge.rtmp.server;

import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.net.EventLoopSocket;
import dev.streamedge.net.EventLoops;
import dev.streamedge.net.LoopFlushes;
import dev.streamedge.net.TlsEngines;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts RTMP connections, and RTMPS ones when a certificate is configured, on one context. Deployed
 * once per event loop on the same ports, so Vert.x spreads connections over all cores, and a stream's
 * packets cross to each event loop once whatever protocol its players use.
 */
public final class RtmpServerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RtmpServerVerticle.class);
  private static final RateLimitedLog REFUSED_LOG = RateLimitedLog.of(LOG, "refused");

  private final RtmpServer server;
  private NetServer rtmp;
  private NetServer rtmps;
  /** With rtmp.proxy-protocol on, the listener on 127.0.0.1 that reads no header, for the node's own programs. */
  private NetServer local;
  /** The media flushes of this verticle's event loop, which its connections' sockets are on. */
  private LoopFlushes flushes;

  public RtmpServerVerticle(RtmpServer server) {
    this.server = server;
  }

  @Override
  public Future<?> start() {
    var config = server.config();
    flushes = new LoopFlushes(EventLoops.loopOf(context));
    rtmp = listener(options(config.port()));
    Future<?> listening = rtmp.listen();
    if (config.proxyProtocol()) {
      // What the node runs itself (a transcoder, exec programs) connects from here, and sends no header.
      local = listener(options(config.localPort()).setHost("127.0.0.1").setUseProxyProtocol(false));
      listening = listening.compose(v -> local.listen());
    }
    if (!config.rtmps().enabled()) {
      return listening;
    }
    rtmps = listener(options(config.rtmps().port()).setSsl(true)
        .setSslEngineOptions(TlsEngines.of(config.rtmps().preferOpenSsl()))
        .setEnabledSecureTransportProtocols(config.rtmps().versionSet())
        .setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(config.rtmps().cert())
        .setKeyPath(config.rtmps().key())));
    return listening.compose(v -> rtmps.listen());
  }

  private NetServerOptions options(int port) {
    return new NetServerOptions()
        .setHost(server.config().host())
        .setPort(port)
        .setTcpNoDelay(true)
        .setSendBufferSize(server.socketSendBuffer())
        .setReuseAddress(true)
        // Vert.x reads the header before anyone sees the connection, and names the client it carries as
        // the socket's remote address; the handshake's time covers the header's too.
        .setUseProxyProtocol(server.config().proxyProtocol())
        .setProxyProtocolTimeout(server.config().handshakeTimeout().toMillis())
        .setProxyProtocolTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  private NetServer listener(NetServerOptions options) {
    NetServer listener = vertx.createNetServer(options);
    if (options.isUseProxyProtocol()) {
      // A connection whose first bytes are no PROXY protocol header (a client that came straight here) ends
      // before any handler sees it; one that sends nothing is closed after the handshake's time, unlogged,
      // as a balancer's health check is.
      listener.exceptionHandler(error -> {
        server.metrics().refused(Refusal.BAD_INPUT);
        REFUSED_LOG.warn("refused a connection to port {}: {} (rtmp.proxy-protocol is on)", options.getPort(),
            error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
      });
    }
    return listener.connectHandler(socket -> {
      String address = ConnectionAdmission.address(socket);
      switch (server.admission().admit(address)) {
        case ADMITTED -> new RtmpConnection(server, new TcpTransport(EventLoopSocket.adopt(socket), address,
            server.socketWriteBuffer(), server.closeGrace(), flushes), context, () -> server.admission().release(address)).start();
        case NODE_FULL -> {
          REFUSED_LOG.warn("refused {}: rtmp.max-connections ({}) reached", socket.remoteAddress(),
              server.admission().maxConnections());
          server.metrics().refused(Refusal.LIMIT);
          socket.close();
        }
        case ADDRESS_FULL -> {
          REFUSED_LOG.warn("refused {}: rtmp.max-connections-per-address ({}) reached", socket.remoteAddress(),
              server.admission().maxPerAddress());
          server.metrics().refused(Refusal.ADDRESS_LIMIT);
          socket.close();
        }
      }
    });
  }

  /**
   * Stops accepting and lets the open connections drain (see {@link RtmpConnection}): completes when
   * they have all closed, or after {@code drainTime}, when Vert.x closes what is left.
   */
  public Future<Void> shutdown(Duration drainTime) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      Future<Void> plain = rtmp.shutdown(drainTime.toMillis(), TimeUnit.MILLISECONDS);
      Future<Void> tls = rtmps == null ? Future.succeededFuture()
          : rtmps.shutdown(drainTime.toMillis(), TimeUnit.MILLISECONDS);
      Future<Void> own = local == null ? Future.succeededFuture()
          : local.shutdown(drainTime.toMillis(), TimeUnit.MILLISECONDS);
      Future.join(plain, tls, own).<Void>mapEmpty().onComplete(done);
    });
    return done.future();
  }

  /** The RTMP port actually bound. */
  public int rtmpPort() {
    return rtmp.actualPort();
  }

  /**
   * The port the node's own programs publish to: the listener on 127.0.0.1 that reads no PROXY protocol
   * header when rtmp.proxy-protocol is on, else the RTMP port.
   */
  public int localRtmpPort() {
    return local == null ? rtmp.actualPort() : local.actualPort();
  }

  /** The RTMPS port actually bound, or -1 when RTMPS is off. */
  public int rtmpsPort() {
    return rtmps == null ? -1 : rtmps.actualPort();
  }
}
