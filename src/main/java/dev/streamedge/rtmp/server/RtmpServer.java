package dev.streamedge.rtmp.server;

import dev.streamedge.auth.AuthService;
import dev.streamedge.config.PlayerConfig;
import dev.streamedge.config.RtmpConfig;
import dev.streamedge.media.PacketEncoder;
import dev.streamedge.media.WireFormat;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.session.ClientRegistry;
import dev.streamedge.stream.StreamRegistry;
import dev.streamedge.vod.VodLibrary;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * What all RTMP connections of a node share: the settings, the stream registry, the admission of
 * connections and the account of partly received messages. One instance per node, used by every
 * {@link RtmpServerVerticle} instance (one per event loop).
 */
public final class RtmpServer {

  private final Vertx vertx;
  private final RtmpConfig config;
  private final StreamRegistry registry;
  private final boolean acceptsPublishers;
  private final PlayerConfig player;
  private final Metrics metrics;
  private final AuthService auth;
  private final ClientRegistry clients;
  private final WireFormat wireFormat;
  private final ConnectionAdmission admission;
  private final IncompleteBudget incomplete;
  private final VodLibrary vod;

  /**
   * @param wireFormat the chunks every packet is encoded in once for all RTMP players, registered with
   *     {@link #fanOutEncoder}
   * @param acceptsPublishers false on a cluster edge node: publishers belong on origin nodes
   * @param auth who may publish and play
   * @param clients where each connection registers, for the API
   * @param vod the apps whose plays are files
   */
  public RtmpServer(Vertx vertx, RtmpConfig config, PlayerConfig player, StreamRegistry registry,
      WireFormat wireFormat, boolean acceptsPublishers, Metrics metrics, AuthService auth, ClientRegistry clients,
      VodLibrary vod) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.config = config;
    this.registry = registry;
    this.player = player;
    this.acceptsPublishers = acceptsPublishers;
    this.auth = auth;
    this.clients = clients;
    this.wireFormat = wireFormat;
    this.vod = vod;
    this.admission = new ConnectionAdmission(config.maxConnections(), config.maxConnectionsPerAddress());
    this.incomplete = new IncompleteBudget(config.maxIncompleteBytes().bytes());
  }

  /**
   * Starts an RTMP connection over {@code transport}, an HTTP tunnel's session, on {@code context}, the
   * current one. {@code released} runs once when the connection closes.
   */
  public void open(RtmpTransport transport, Context context, Runnable released) {
    new RtmpConnection(this, transport, context, released).start();
  }

  ClientRegistry clients() {
    return clients;
  }

  VodLibrary vod() {
    return vod;
  }

  AuthService auth() {
    return auth;
  }

  boolean acceptsPublishers() {
    return acceptsPublishers;
  }

  /**
   * Encodes each packet once for all RTMP players of the node, on message stream 1 with self-contained
   * fmt-0 headers: the encoder of the RTMP wire format.
   */
  public static PacketEncoder fanOutEncoder(int chunkSize) {
    return RtmpWire.fanOutEncoder(chunkSize);
  }

  WireFormat wireFormat() {
    return wireFormat;
  }

  Metrics metrics() {
    return metrics;
  }

  Vertx vertx() {
    return vertx;
  }

  StreamRegistry registry() {
    return registry;
  }

  RtmpConfig config() {
    return config;
  }

  ConnectionAdmission admission() {
    return admission;
  }

  IncompleteBudget incomplete() {
    return incomplete;
  }

  public int connections() {
    return admission.open();
  }

  /** Bytes partly received messages hold on the node's account ({@code rtmp.max-incomplete-bytes}). */
  public long incompleteBytes() {
    return incomplete.total();
  }

  /** rtmp.rtmpe.enabled: the RTMP port serves RTMPE too. */
  boolean rtmpeEnabled() {
    return config.rtmpe().enabled();
  }

  int maxChunkSize() {
    return config.maxChunkSize();
  }

  int maxMessageSize() {
    return (int) config.maxMessageSize().bytes();
  }

  /** The largest message before a publish: rtmp.max-message-size-before-publish, within rtmp.max-message-size. */
  int maxMessageSizeBeforePublish() {
    return (int) Math.min(config.maxMessageSizeBeforePublish().bytes(), config.maxMessageSize().bytes());
  }

  int chunkSize() {
    return config.chunkSize();
  }

  long windowAckSize() {
    return config.windowAckSize();
  }

  int maxStreamsPerConnection() {
    return config.maxStreamsPerConnection();
  }

  int socketWriteBuffer() {
    return (int) player.socketWriteBuffer().bytes();
  }

  /** How long a closing connection's client has to read what is still on its way ({@code player.max-behind}). */
  Duration closeGrace() {
    return player.maxBehind();
  }

  int socketSendBuffer() {
    return (int) player.socketSendBuffer().bytes();
  }

  PlayerConfig player() {
    return player;
  }

  long pingIntervalNanos() {
    return config.pingInterval().toNanos();
  }

  long pingTimeoutNanos() {
    return config.pingTimeout().toNanos();
  }
}
