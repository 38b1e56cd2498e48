package dev.streamedge.rtmp.server;

import dev.streamedge.auth.AuthDecision;
import dev.streamedge.auth.ConnectRequest;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.message.Command;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * The commands of one RTMP connection (RTMP 1.0 §7.2), dispatched to its flows: connect to
 * {@link ConnectFlow}, publish to {@link PublishFlow}, play to {@link PlayFlow}, the NetStream ones to
 * {@link NetStreams}. With auth.callback.on-connect set, connect's answer waits for the callback
 * (nginx-rtmp's on_connect); commands that come meanwhile are held in order, {@value #MAX_HELD_COMMANDS}
 * at most, and run once it is answered. On the connection's context.
 */
final class RtmpCommands {

  /** Commands a client may send before connect's answer: they wait for it, a few at most. */
  static final int MAX_HELD_COMMANDS = 16;

  private final RtmpConnection connection;
  private final RtmpServer server;
  private final ConnectionWriter writer;
  private final ConnectFlow connect;
  private final PublishFlow publish;
  private final PlayFlow play;
  private final NetStreams streams;
  /** Commands that came while connect waited for its callback; null when none did. */
  private ArrayDeque<Command> held;
  /** The connect that came (as answered, once it is), for auth.callback.on-disconnect; null before. */
  private ConnectRequest connected;

  RtmpCommands(RtmpConnection connection, RtmpServer server, ConnectionWriter writer, ConnectFlow connect,
      PublishFlow publish, PlayFlow play, NetStreams streams) {
    this.connection = connection;
    this.server = server;
    this.writer = writer;
    this.connect = connect;
    this.publish = publish;
    this.play = play;
    this.streams = streams;
  }

  /** The connect that came, as answered once it is; null before connect. */
  ConnectRequest connected() {
    return connected;
  }

  void command(Command command) throws ProtocolException {
    String name = command.name();
    double tx = command.transaction();
    int streamId = command.streamId();
    ConnectionState state = connection.state();
    if (state == ConnectionState.CONNECTING) {
      hold(command);
      return;
    }
    if (state == ConnectionState.AWAIT_CONNECT && !name.equals("connect")) {
      throw new ProtocolException("command " + name + " before connect");
    }
    switch (name) {
      case "connect" -> connect(tx, command, state);
      case "createStream" -> createStream(tx);
      case "releaseStream", "FCPublish", "FCUnpublish", "getStreamLength" -> writer.result(tx, null, 0.0);
      case "publish" -> publish.publish(streamId, streams.idle(streamId, "publish"), command.stringArg(0),
          CommandFields.publish(command));
      case "play" -> play.play(streamId, streams.idle(streamId, "play"), command.stringArg(0),
          CommandFields.play(command));
      case "closeStream" -> streams.stop(streamId, "closeStream");
      case "deleteStream" -> streams.delete(
          command.args().isEmpty() || !(command.args().get(0) instanceof Double d) ? streamId : d.intValue(),
          "deleteStream");
      // NetStream.seek(ms) and NetStream.pause(flag, ms): a file on demand moves; a live stream has nothing to do.
      case "seek" -> streams.seek(streamId, millisArg(command, 0));
      case "pause" -> {
        if (!command.args().isEmpty() && command.args().get(0) instanceof Boolean paused) {
          streams.pause(streamId, paused, millisArg(command, 1));
        }
      }
      case "_result", "_error", "onBWDone", "_checkbw", "receiveAudio", "receiveVideo" -> {
        // Nothing to answer.
      }
      default -> {
        if (tx != 0) {
          writer.error(tx, "NetConnection.Call.Failed", "Method not found (" + name + ").");
        }
      }
    }
  }

  private void connect(double tx, Command command, ConnectionState state) throws ProtocolException {
    if (state != ConnectionState.AWAIT_CONNECT) {
      throw new ProtocolException("connect sent twice");
    }
    Map<?, ?> properties = connect.accept(tx, command.commandObject());
    ConnectRequest request = connection.connectRequest(connect);
    if (!server.auth().checksConnects()) {
      accepted(tx, properties, request);
      return;
    }
    connection.connecting();
    connected = request;
    server.auth().connect(request).onComplete(done -> answered(tx, properties, request, done.result()));
  }

  /** nginx-rtmp's on_connect answered: the connect goes on (maybe in another app) or is refused. */
  private void answered(double tx, Map<?, ?> properties, ConnectRequest request, AuthDecision decision) {
    if (connection.state() != ConnectionState.CONNECTING) {
      return;
    }
    if (!decision.allowed()) {
      writer.error(tx, "NetConnection.Connect.Rejected", "Connection refused.");
      connection.end("connect refused: " + decision.reason());
      return;
    }
    ConnectRequest allowed = request;
    if (!decision.rename().isEmpty()) {
      ConnectionLogs.CONNECT.info("connect moved {} from app={} to app={} by the connect callback",
          connection.peer(), request.app(), decision.rename());
      connect.moveTo(decision.rename());
      allowed = request.toApp(decision.rename());
    }
    accepted(tx, properties, allowed);
    while (held != null && !held.isEmpty() && connection.state() == ConnectionState.CONNECTED) {
      try {
        command(held.poll());
      } catch (ProtocolException e) {
        server.metrics().refused(Refusal.BAD_INPUT);
        connection.close(e.getMessage());
      } catch (RuntimeException e) {
        // As for a command read from the socket: a bug costs this connection only.
        ConnectionLogs.ERROR.error("internal error on {}", connection.peer(), e);
        connection.close("internal error: " + e);
      }
    }
    held = null;
  }

  private void accepted(double tx, Map<?, ?> properties, ConnectRequest request) {
    connected = request;
    connection.connectedNow();
    connect.answer(tx, properties, connection.protocol(), connection.peer());
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

  private void createStream(double tx) {
    int id = streams.create();
    if (id < 0) {
      writer.error(tx, "NetConnection.Call.Failed", "Too many streams on this connection.");
      return;
    }
    writer.result(tx, null, (double) id);
  }

  /** Argument {@code index} (after the command object) as milliseconds; 0 when it is not a number. */
  private static long millisArg(Command command, int index) {
    return command.args().size() > index && command.args().get(index) instanceof Double d && d > 0
        ? (long) Math.min(d, Long.MAX_VALUE / 2) : 0;
  }
}
