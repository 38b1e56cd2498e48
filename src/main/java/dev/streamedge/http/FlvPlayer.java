package dev.streamedge.http;

import dev.streamedge.config.PlayerConfig;
import dev.streamedge.flv.FlvTag;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.WireFormat;
import dev.streamedge.metrics.PlayerMeters;
import dev.streamedge.player.Player;
import dev.streamedge.player.PlayerOutput;
import dev.streamedge.session.Client;
import dev.streamedge.session.ClientInfo;
import dev.streamedge.session.ClientRegistry;
import dev.streamedge.session.ClientRole;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP-FLV or WebSocket-FLV player: the FLV header, then metadata, sequence headers and the GOP
 * cache, then live tags, each written from the packet's once-encoded FLV form by a {@link Player}, with
 * the same bounded queue and keyframe-skip policy as RTMP players. The response ends when the publisher
 * leaves, as a file would, and players reconnect; or, with {@code player.flv-republish-wait}, only when no
 * publisher came back on the key in that time, so that its players play on through an encoder's reconnect.
 */
final class FlvPlayer implements PlayerOutput, Client {

  private static final Logger LOG = LoggerFactory.getLogger(FlvPlayer.class);
  private static final RateLimitedLog PLAY_LOG = RateLimitedLog.of(LOG, "play");
  private static final RateLimitedLog STOP_LOG = RateLimitedLog.of(LOG, "stop");

  /** Where the tags go: a chunked HTTP response or a WebSocket (one binary message per write). */
  interface Transport {
    boolean writeQueueFull();

    /** Bytes written and not yet acknowledged by the client ({@link dev.streamedge.net.SendBacklog}). */
    long unackedBytes();

    void write(Buffer data);

    /** Ends the stream cleanly after what was written. */
    void end();

    /** Drops the connection now; {@code why} is a short phrase a WebSocket close frame can carry. */
    void abort(String why);
  }

  private final Context context;
  private final Transport transport;
  private final StreamKey key;
  private final String peer;
  private final PlayerMeters meters;
  private final String protocol;
  private final Player player;
  private final Consumer<FlvPlayer> ended;
  private final ClientRegistry clients;
  private final long connectedAtMillis = System.currentTimeMillis();
  /** This player's id in the node's client registry, for the API; -1 until it is in it. */
  private long clientId = -1;
  private long bytesOut;
  private boolean headerSent;
  private boolean closed;
  /** player.flv-republish-wait in ms; 0 ends the stream when its publisher leaves. */
  private final long republishWaitMillis;
  /** The timer that ends the stream when no publisher came back in time, or -1. */
  private long republishTimer = -1;

  /**
   * {@code flvTags} is the wire format whose encodings it is written; {@code ended} runs once when the
   * player stops, for whatever reason; {@code clients} is where it registers for the API.
   */
  FlvPlayer(Context context, Transport transport, StreamKey key, String peer, WireFormat flvTags,
      PlayerMeters meters, PlayerConfig limits, Consumer<FlvPlayer> ended, ClientRegistry clients) {
    this.context = context;
    this.transport = transport;
    this.key = key;
    this.peer = peer;
    this.meters = meters;
    this.protocol = meters.protocol().label();
    this.player = Player.of(context, this, flvTags, limits, meters);
    this.ended = ended;
    this.clients = clients;
    this.republishWaitMillis = limits.flvRepublishWait().toMillis();
  }

  /** Registers with the node's clients; false when they are full and this player must be refused. */
  boolean register() {
    clientId = clients.add(this);
    return clientId >= 0;
  }

  void play(StreamRegistry registry) {
    player.play(registry, key);
    PLAY_LOG.info("play {} stream={} protocol={}", peer, key, protocol);
  }

  void drain() {
    player.drain();
  }

  /** The client went away. */
  void stop(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    cancelRepublishWait();
    clients.remove(clientId);
    player.stop();
    STOP_LOG.info("stop {} stream={} protocol={} reason={} dropped={}", peer, key, protocol, reason,
        player.dropped());
    ended.accept(this);
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public ClientInfo info() {
    return new ClientInfo(clientId, protocol, closed ? ClientRole.IDLE : ClientRole.PLAYER, peer,
        closed ? null : key, connectedAtMillis, 0, bytesOut, "", player.dropped());
  }

  @Override
  public void kick(String reason) {
    context.runOnContext(v -> {
      if (!closed) {
        stop(reason);
        transport.abort("kicked");
      }
    });
  }

  /** The header's flags name what the start packets hold; with none, the header waits for the first tag. */
  @Override
  public void joining(List<MediaPacket> startPackets) {
    if (!startPackets.isEmpty()) {
      sendHeader(startPackets.stream().anyMatch(p -> p.kind() == MediaKind.AUDIO),
          startPackets.stream().anyMatch(p -> p.kind() == MediaKind.VIDEO));
    }
  }

  @Override
  public void published() {
    cancelRepublishWait();
  }

  @Override
  public void unpublished() {
    if (republishWaitMillis == 0) {
      publisherGone();
    } else if (republishTimer < 0 && !closed) {
      // The subscription stays: a publisher back in time sends its metadata and sequence headers on, with
      // timestamps that go on from this session's, and the FLV stream carries on as one.
      republishTimer = context.owner().setTimer(republishWaitMillis, id -> {
        republishTimer = -1;
        publisherGone();
      });
    }
  }

  private void publisherGone() {
    if (!closed) {
      stop("publisher left");
      transport.end();
    }
  }

  private void cancelRepublishWait() {
    if (republishTimer >= 0) {
      context.owner().cancelTimer(republishTimer);
      republishTimer = -1;
    }
  }

  /** The node is shutting down: the response ends cleanly, so the player reconnects elsewhere. */
  void shutdown() {
    stop("server shutting down");
    transport.end();
  }

  @Override
  public boolean full() {
    return transport.writeQueueFull();
  }

  @Override
  public long unackedBytes() {
    return transport.unackedBytes();
  }

  @Override
  public void write(Buffer tags) {
    if (!headerSent) {
      sendHeader(true, true);
    }
    transport.write(tags);
    bytesOut += tags.length();
    meters.sent(tags.length());
  }

  @Override
  public void close(String reason) {
    stop(reason);
    transport.abort("behind live");
  }

  private void sendHeader(boolean audio, boolean video) {
    headerSent = true;
    ByteBuf header = Unpooled.buffer(FlvTag.HEADER_LENGTH);
    FlvTag.writeHeader(header, audio, video);
    transport.write(Buffer.buffer(header.array()));
    bytesOut += FlvTag.HEADER_LENGTH;
    meters.sent(FlvTag.HEADER_LENGTH);
  }
}
