package dev.streamedge.rtmp.server;

import dev.streamedge.auth.AuthDecision;
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
import java.util.ArrayDeque;
import java.util.Map;

/**
 * One RTMP connection: the dispatch of the NetConnection/NetStream command flows of publishers (connect,
 * releaseStream, FCPublish, createStream, publish, @setDataFrame, FCUnpublish, deleteStream) and players
 * (connect, createStream, getStreamLength, play, closeStream, deleteStream), fed by its
 * {@link ConnectionInput} (handshake, chunk stream, messages). Lives on one event loop; any protocol
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

  /** CONNECTING: connect came, its answer waits for auth.callback.on-connect. */
  private enum State { HANDSHAKE, AWAIT_CONNECT, CONNECTING, CONNECTED, CLOSED }

  /** Commands a client may send before connect's answer: they wait for it, a few at most. */
  private static final int MAX_HELD_COMMANDS = 16;

  private final RtmpServer server;
  private final RtmpTransport transport;
  /** Runs once when the connection closes: gives back what admitted it. */
  private final Runnable released;
  private final Context context;
  private final String peer;
  private final ConnectionInput input;
  private final ConnectionWriter writer;
  private final Messages messages = new Messages();
  private final ConnectFlow connect;
  private final PublishFlow publish;
  private final PlayFlow play;
  private final NetStreams streams;
  /** RTMP, RTMPS or RTMPT by the transport; RTMPE (RTMPTE in a tunnel) from the first byte on when asked. */
  private Protocol protocol;
  /** The meters of this connection's protocol, resolved when it is known. */
  private PublisherMeters publisherMeters;
  private State state = State.HANDSHAKE;
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
  /** Commands that came while connect waited for its callback; null when none did. */
  private ArrayDeque<Command> held;
  /** The connect that came (as answered, once it is), for auth.callback.on-disconnect; null before. */
  private ConnectRequest connected;

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
    this.input = new ConnectionInput(server, transport, context, writer, messages, new Reading());
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
      close(state.compareTo(State.AWAIT_CONNECT) < 0
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
      if (state == State.CONNECTED) {
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
      return state == State.CLOSED;
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
      state = State.AWAIT_CONNECT;
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
      }
    }

    @Override
    public void media(RtmpMessage message, MediaKind kind) {
      NetStream stream = streams.get(message.messageStreamId());
      if (stream != null && stream.publishing != null) {
        lastMediaNanos = System.nanoTime();
        stream.mediaPassed(kind, message.payload());
        stream.publishing.media(kind, message.timestamp(), message.payload());
      }
    }

    @Override
    public void data(RtmpMessage message, ByteBuf payload) throws ProtocolException {
      NetStream stream = streams.get(message.messageStreamId());
      if (stream != null && stream.publishing != null && payload.isReadable()) {
        lastMediaNanos = System.nanoTime();
        publish.data(stream, message, payload);
      }
    }

    @Override
    public void command(Command command) throws ProtocolException {
      onCommand(command);
    }
  }

  // ---- commands ----

  private void onCommand(Command command) throws ProtocolException {
    String name = command.name();
    double tx = command.transaction();
    int streamId = command.streamId();
    if (state == State.CONNECTING) {
      hold(command);
      return;
    }
    if (state == State.AWAIT_CONNECT && !name.equals("connect")) {
      throw new ProtocolException("command " + name + " before connect");
    }
    switch (name) {
      case "connect" -> {
        if (state != State.AWAIT_CONNECT) {
          throw new ProtocolException("connect sent twice");
        }
        Map<?, ?> properties = connect.accept(tx, command.commandObject());
        ConnectRequest request = connect.connectRequest(transport.address(), peer, protocol, openedNanos / 1_000_000);
        if (!server.auth().checksConnects()) {
          accepted(tx, properties, request);
          return;
        }
        state = State.CONNECTING;
        connected = request;
        server.auth().connect(request).onComplete(done -> answered(tx, properties, request, done.result()));
      }
      case "createStream" -> onCreateStream(tx);
      case "releaseStream", "FCPublish", "FCUnpublish", "getStreamLength" -> writer.result(tx, null, 0.0);
      case "publish" -> publish.publish(streamId, streams.idle(streamId, "publish"), command.stringArg(0),
          CommandFields.publish(command));
      case "play" -> play.play(streamId, streams.idle(streamId, "play"), command.stringArg(0),
          CommandFields.play(command));
      case "closeStream" -> streams.stop(streamId, "closeStream");
      case "deleteStream" -> streams.delete(
          command.args().isEmpty() || !(command.args().get(0) instanceof Double d) ? streamId : d.intValue(),
          "deleteStream");
      case "_result", "_error", "onBWDone", "_checkbw", "receiveAudio", "receiveVideo", "pause", "seek" -> {
        // Nothing to answer for a live server.
      }
      default -> {
        if (tx != 0) {
          writer.error(tx, "NetConnection.Call.Failed", "Method not found (" + name + ").");
        }
      }
    }
  }

  /** nginx-rtmp's on_connect answered: the connect goes on (maybe in another app) or is refused. */
  private void answered(double tx, Map<?, ?> properties, ConnectRequest request, AuthDecision decision) {
    if (state != State.CONNECTING) {
      return;
    }
    if (!decision.allowed()) {
      writer.error(tx, "NetConnection.Connect.Rejected", "Connection refused.");
      end("connect refused: " + decision.reason());
      return;
    }
    ConnectRequest allowed = request;
    if (!decision.rename().isEmpty()) {
      ConnectionLogs.CONNECT.info("connect moved {} from app={} to app={} by the connect callback", peer,
          request.app(), decision.rename());
      connect.moveTo(decision.rename());
      allowed = request.toApp(decision.rename());
    }
    accepted(tx, properties, allowed);
    while (held != null && !held.isEmpty() && state == State.CONNECTED) {
      try {
        onCommand(held.poll());
      } catch (ProtocolException e) {
        server.metrics().refused(Refusal.BAD_INPUT);
        close(e.getMessage());
      } catch (RuntimeException e) {
        // As for a command read from the socket: a bug costs this connection only.
        ConnectionLogs.ERROR.error("internal error on {}", peer, e);
        close("internal error: " + e);
      }
    }
    held = null;
  }

  private void accepted(double tx, Map<?, ?> properties, ConnectRequest request) {
    state = State.CONNECTED;
    connected = request;
    deadlines.connected(System.nanoTime());
    connect.answer(tx, properties, protocol, peer);
  }

  private void hold(Command command) throws ProtocolException {
    if (held == null) {
      held = new ArrayDeque<>();
    }
    if (held.size() == MAX_HELD_COMMANDS) {
      throw new ProtocolException("more than " + MAX_HELD_COMMANDS + " commands before connect was answered");
    }
    held.add(command);
  }

  private void onCreateStream(double tx) {
    int id = streams.create();
    if (id < 0) {
      writer.error(tx, "NetConnection.Call.Failed", "Too many streams on this connection.");
      return;
    }
    writer.result(tx, null, (double) id);
  }

  /**
   * The node is shutting down (the listener stopped accepting). Players are told the stream is
   * unpublished and let go at once, to reconnect to another node. A publisher that can reconnect is
   * asked to (Enhanced RTMP's NetConnection.Connect.ReconnectRequest); any publisher keeps publishing
   * until it leaves or the drain time is up, so that the stream's viewers elsewhere keep it meanwhile.
   */
  private void drain() {
    if (state == State.CLOSED) {
      return;
    }
    boolean publishing = streams.releasePlayers();
    if (publishing) {
      connect.requestReconnect(peer);
    } else {
      end("server shutting down");
    }
  }

  // ---- what the publish and play flows ask of the connection ----

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
    return state != State.CLOSED && streams.get(streamId) == stream;
  }

  /**
   * Ends the connection once what was written is sent: end(), not close(), when a refusal must reach
   * the client before the connection goes.
   */
  void end(String reason) {
    endReason = reason;
    transport.end();
  }

  /** A publish started: from now on messages may be as large as media (rtmp.max-message-size). */
  void publishingStarted() {
    input.publishing();
    publisherMeters.publisherStarted();
    lastMediaNanos = System.nanoTime();
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
    boolean connected = state.compareTo(State.CONNECTED) >= 0;
    // A connect waiting for its callback is bounded by auth.callback.timeout, not by the handshake's deadline.
    ConnectionDeadlines.Missed missed = state == State.CONNECTING ? null : !connected ? deadlines.beforeConnect(now)
        : deadlines.missed(now, streams.publishing(), lastMediaNanos, streams.inUse(), input.decoder());
    String dead = missed != null ? missed.reason() : connected ? pings.check(now, writer) : null;
    if (missed != null && missed.refusal() != null) {
      server.metrics().refused(missed.refusal());
    }
    if (dead != null) {
      close(dead);
    }
  }

  void close(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
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
    if (connected != null) {
      server.auth().disconnected(connected, clientId);
    }
  }
}
