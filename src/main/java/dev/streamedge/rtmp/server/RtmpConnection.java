package dev.streamedge.rtmp.server;

import dev.streamedge.auth.ConnectRequest;
import dev.streamedge.media.MediaKind;
import dev.streamedge.metrics.PublisherMeters;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.message.Command;
import dev.streamedge.rtmp.message.MessageReader;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import dev.streamedge.rtmp.message.UserControl;
import dev.streamedge.rtmp.message.WindowAckSize;
import dev.streamedge.session.Client;
import dev.streamedge.session.ClientInfo;
import dev.streamedge.session.ClientRole;
import dev.streamedge.session.Protocol;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamPublisher;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;

/**
 * One RTMP connection: its life (handshake, connect, close), deadlines and pings, fed by its
 * {@link ConnectionInput} (handshake, chunk stream, messages), whose commands {@link RtmpCommands}
 * dispatches to the flows of publishers (connect, releaseStream, FCPublish, createStream, publish,
 * @setDataFrame, FCUnpublish, deleteStream) and players (connect, createStream, getStreamLength, play,
 * closeStream, deleteStream). Lives on one event loop; any protocol
 * error closes this connection only, with one log line. Its bytes come and go through an
 * {@link RtmpTransport}: a TCP socket or an HTTP tunnel, which it cannot tell apart.
 */
final class RtmpConnection implements StreamPublisher, Client {

  /**
   * How often the connection's deadlines are checked, by the ticker its context shares with every other
   * connection on it: each one is noticed within this much after it passes, whatever the phase of the
   * shared tick (a ping of rtmp.ping-interval 1s goes out before a 2s publish-or-play deadline closes).
   */
  private static final long TIMER_PERIOD_MS = 250;

  private final RtmpServer server;
  private final RtmpTransport transport;
  /** Runs once when the connection closes: gives back what admitted it. */
  private final Runnable released;
  private final Context context;
  private final String peer;
  private final ConnectionInput input;
  private final PublishHolds holds;
  private final ConnectionWriter writer;
  private final Messages messages = new Messages();
  private final ConnectFlow connect;
  private final PublishFlow publish;
  private final PlayFlow play;
  private final NetStreams streams;
  private final RtmpCommands commands;
  /** RTMP, RTMPS or RTMPT by the transport; RTMPE (RTMPTE in a tunnel) from the first byte on when asked. */
  private Protocol protocol;
  /** The meters of this connection's protocol, resolved when it is known. */
  private PublisherMeters publisherMeters;
  private ConnectionState state = ConnectionState.HANDSHAKE;
  private final long openedNanos = System.nanoTime();
  private final long connectedAtMillis = System.currentTimeMillis();
  /** This connection's id in the node's client registry, for the API; -1 when it is not in it. */
  private long clientId = -1;
  private long lastMediaNanos = openedNanos;
  private final Pings pings;
  /** Runs {@link #onTimer} every {@link #TIMER_PERIOD_MS}, on this context's {@link ConnectionTicker}; null until started. */
  private Runnable tick;
  private ConnectionTicker ticker;
  private final ConnectionDeadlines deadlines;
  /** Why the connection ends when the socket closes: the peer's doing unless the server ended it. */
  private String endReason = "peer closed the connection";

  /** {@code released} runs once when the connection closes, to give back its admission. */
  RtmpConnection(RtmpServer server, RtmpTransport transport, Context context, Runnable released) {
    this.server = server;
    this.transport = transport;
    this.released = released;
    this.context = context;
    this.peer = transport.peer();
    this.protocol = transport.protocol();
    this.writer = new ConnectionWriter(transport, server.metrics().player(protocol));
    this.publisherMeters = server.metrics().publisher(protocol);
    this.connect = new ConnectFlow(server, writer);
    this.deadlines = new ConnectionDeadlines(server.config(), openedNanos);
    this.pings = new Pings(server.pingIntervalNanos(), server.pingTimeoutNanos(), openedNanos);
    StreamAccess access = new StreamAccess(this, connect, writer, transport.address());
    this.publish = new PublishFlow(this, access, server, writer);
    this.play = new PlayFlow(this, access, server, writer);
    this.streams = new NetStreams(server.maxStreamsPerConnection(), publish, play, server.auth());
    this.commands = new RtmpCommands(this, server, writer, connect, publish, play, streams);
    this.input = new ConnectionInput(server, transport, context, writer, messages, new Reading());
    this.holds = new PublishHolds(input, server.config().maxHeldBeforePublish().bytes(), peer);
  }

  void start() {
    clientId = server.clients().add(this);
    if (clientId < 0) {
      ConnectionLogs.REFUSED.warn("refused {}: the node holds as many clients as its connection limits allow", peer);
      server.metrics().refused(Refusal.LIMIT);
      close("client registry full");
      return;
    }
    transport.start(new Events());
    ticker = ConnectionTicker.of(context, TIMER_PERIOD_MS);
    tick = this::onTimer;
    ticker.add(tick);
  }

  /** What the transport tells this connection. */
  private final class Events implements RtmpTransport.Listener {

    @Override
    public void data(Buffer bytes) {
      input.data(bytes);
    }

    @Override
    public void writable() {
      streams.writable();
    }

    @Override
    public void draining() {
      drain();
    }

    @Override
    public void closed() {
      close(state.compareTo(ConnectionState.AWAIT_CONNECT) < 0
          ? endReason + " during the handshake, after " + input.bytesIn() + " bytes" : endReason);
    }

    @Override
    public void failed(String reason) {
      close(reason);
    }
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public ClientInfo info() {
    // A connection may use several message streams; a publish, else the first play, names it.
    NetStream named = streams.naming();
    ClientRole role = named == null ? ClientRole.IDLE
        : named.publishing != null ? ClientRole.PUBLISHER : ClientRole.PLAYER;
    StreamKey key = named == null ? null
        : named.publishing != null ? named.publishing.key() : named.playing.key();
    long dropped = named == null || named.playing == null ? 0 : named.playing.dropped();
    return new ClientInfo(clientId, protocol.label(), role, peer, key, connectedAtMillis, input.bytesIn(),
        writer.bytesOut(), connect.flashVer(), dropped);
  }

  @Override
  public String peer() {
    return peer;
  }

  @Override
  public void kick(String reason) {
    context.runOnContext(v -> close(reason));
  }

  @Override
  public boolean redirect(String name) {
    context.runOnContext(v -> {
      if (state == ConnectionState.CONNECTED) {
        streams.redirect(name);
      }
    });
    return true;
  }

  // ---- input ----

  /** What the input asks of this connection. */
  private final class Reading implements ConnectionInput.Owner {

    @Override
    public boolean closed() {
      return state == ConnectionState.CLOSED;
    }

    @Override
    public void rtmpeAsked() {
      protocol = transport.encryptedProtocol();
      writer.meters(server.metrics().player(protocol));
      publisherMeters = server.metrics().publisher(protocol);
    }

    @Override
    public PublisherMeters publisherMeters() {
      return publisherMeters;
    }

    @Override
    public void handshakeDone() {
      state = ConnectionState.AWAIT_CONNECT;
    }

    @Override
    public void close(String reason) {
      RtmpConnection.this.close(reason);
    }
  }

  /** What the message reader finds in this connection's messages. */
  private final class Messages implements MessageReader.Handler {

    @Override
    public void windowAckSize(WindowAckSize message) {
      input.peerWindow(message.size());
    }

    @Override
    public void userControl(UserControl message) {
      if (message.event() == UserControl.PING_REQUEST) {
        writer.control(MessageType.USER_CONTROL, RtmpWire.userControl(UserControl.PING_RESPONSE, message.value()));
      } else if (message.event() == UserControl.PING_RESPONSE) {
        pings.answered();
      } else if (message.event() == UserControl.SET_BUFFER_LENGTH) {
        streams.bufferLength((int) message.value(), message.second());
      }
    }

    @Override
    public void media(RtmpMessage message, MediaKind kind) {
      NetStream stream = streams.get(message.messageStreamId());
      if (stream == null) {
        return;
      }
      if (stream.publishing != null) {
        lastMediaNanos = System.nanoTime();
        stream.mediaPassed(kind, message.payload());
        stream.publishing.media(kind, message.timestamp(), message.payload());
      } else if (stream.hold != null) {
        holds.hold(stream, message, kind, message.payload());
      }
    }

    @Override
    public void data(RtmpMessage message, ByteBuf payload) throws ProtocolException {
      NetStream stream = streams.get(message.messageStreamId());
      if (stream == null || !payload.isReadable()) {
        return;
      }
      if (stream.publishing != null) {
        lastMediaNanos = System.nanoTime();
        publish.data(stream, message, payload);
      } else if (stream.hold != null) {
        holds.hold(stream, message, null, payload);
      }
    }

    @Override
    public void command(Command command) throws ProtocolException {
      commands.command(command);
    }
  }

  /**
   * The node is shutting down (the listener stopped accepting). Players are told the stream is
   * unpublished and let go at once, to reconnect to another node. A publisher that can reconnect is
   * asked to (Enhanced RTMP's NetConnection.Connect.ReconnectRequest); any publisher keeps publishing
   * until it leaves or the drain time is up, so that the stream's viewers elsewhere keep it meanwhile.
   */
  private void drain() {
    if (state == ConnectionState.CLOSED) {
      return;
    }
    boolean publishing = streams.releasePlayers();
    if (publishing) {
      connect.requestReconnect(peer);
    } else {
      end("server shutting down");
    }
  }

  // ---- what the commands and the publish and play flows ask of the connection ----

  ConnectionState state() {
    return state;
  }

  /** connect came and waits for auth.callback.on-connect: the handshake's deadline no longer applies. */
  void connecting() {
    state = ConnectionState.CONNECTING;
  }

  /** connect is answered: from now on the connection has the deadlines of a connected one. */
  void connectedNow() {
    state = ConnectionState.CONNECTED;
    deadlines.connected(System.nanoTime());
  }

  /** What auth.callback.on-connect and on-disconnect are told of the connect {@code flow} took. */
  ConnectRequest connectRequest(ConnectFlow flow) {
    return flow.connectRequest(transport.address(), peer, protocol, openedNanos / 1_000_000);
  }

  Protocol protocol() {
    return protocol;
  }

  PublisherMeters publisherMeters() {
    return publisherMeters;
  }

  /** This connection's id in the API and /stat; -1 when it is not in the registry. */
  long clientId() {
    return clientId;
  }

  /** Whether the connection is open and {@code stream} is still its message stream {@code streamId}. */
  boolean holds(int streamId, NetStream stream) {
    return state != ConnectionState.CLOSED && streams.get(streamId) == stream;
  }

  /**
   * Ends the connection once what was written is sent: end(), not close(), when a refusal must reach
   * the client before the connection goes.
   */
  void end(String reason) {
    endReason = reason;
    transport.end();
  }

  /** Ends what message stream {@code streamId} plays or publishes, as closeStream would; the stream stays. */
  void stopStream(int streamId, String why) {
    if (state != ConnectionState.CLOSED) {
      streams.stop(streamId, why);
    }
  }

  /** A publish started: its messages may be as large as media (rtmp.max-message-size) since it was asked for. */
  void publishingStarted() {
    input.publishing();
    publisherMeters.publisherStarted();
    lastMediaNanos = System.nanoTime();
  }

  /** The publishes of this connection that wait to be allowed, and what they hold meanwhile. */
  PublishHolds holds() {
    return holds;
  }

  // ---- output ----

  ConnectionWriter writer() {
    return writer;
  }

  // ---- life cycle ----

  private void onTimer() {
    // The byte meter gets what was sent since the last tick: one add per tick, not one per write.
    writer.meter();
    long now = System.nanoTime();
    boolean connected = state.connected();
    // A connect waiting for its callback is bounded by auth.callback.timeout, not by the handshake's deadline.
    ConnectionDeadlines.Missed missed = state == ConnectionState.CONNECTING ? null : !connected ? deadlines.beforeConnect(now)
        : deadlines.missed(now, streams.publishing(), lastMediaNanos, streams.inUse(), input.decoder());
    String dead = missed != null ? missed.reason() : connected ? pings.check(now, input.bytesIn(), writer) : null;
    if (missed != null && missed.refusal() != null) {
      server.metrics().refused(missed.refusal());
    }
    if (dead != null) {
      close(dead);
    }
  }

  void close(String reason) {
    if (state == ConnectionState.CLOSED) {
      return;
    }
    state = ConnectionState.CLOSED;
    writer.close();
    if (ticker != null) {
      ticker.remove(tick);
    }
    streams.stopAll(reason);
    transport.close();
    input.close();
    released.run();
    server.clients().remove(clientId);
    ConnectionLogs.DISCONNECT.info("disconnect {} protocol={} app={} reason={} bytesIn={}", peer, protocol.label(),
        connect.app(), reason, input.bytesIn());
    if (commands.connected() != null) {
      server.auth().disconnected(commands.connected(), clientId);
    }
  }
}
