package dev.streamedge.rtmp.server;

import dev.streamedge.auth.AuthAction;
import dev.streamedge.auth.AuthRequest;
import dev.streamedge.stream.StreamKey;
import java.util.List;
import java.util.Map;

/**
 * The first step of both twins, {@link PublishFlow} and {@link PlayFlow}: the stream name (an invalid
 * one is refused on its message stream), the key in the connected app, the request auth is asked, and
 * the answer to a refused one. On the connection's context.
 */
final class StreamAccess {

  private final RtmpConnection connection;
  private final ConnectFlow connect;
  private final ConnectionWriter writer;
  /** The client's IP address alone, as auth callbacks get it. */
  private final String addr;

  StreamAccess(RtmpConnection connection, ConnectFlow connect, ConnectionWriter writer, String addr) {
    this.connection = connection;
    this.connect = connect;
    this.writer = writer;
    this.addr = addr;
  }

  /** The name of a publish or play, or null after refusing an invalid name with {@code code}. */
  StreamName nameOrRefuse(int streamId, String rawName, String command, String code) {
    StreamName name = StreamName.parse(rawName);
    if (name == null) {
      writer.status(streamId, "error", code, "Invalid stream name.");
      ConnectionLogs.REFUSED.info("{} refused {} app={} name={} reason=invalid name", command, connection.peer(),
          connect.app(), rawName);
    }
    return name;
  }

  /** The connected app. */
  String app() {
    return connect.app();
  }

  /** The stream {@code name} names in the connected app. */
  StreamKey key(StreamName name) {
    return new StreamKey(connect.app(), name.name());
  }

  AuthRequest request(AuthAction action, StreamKey key, String nameQuery,
      List<Map.Entry<String, String>> commandFields) {
    return connect.authRequest(action, key, nameQuery, addr, connection.peer(), connection.protocol(),
        connection.clientId(), commandFields);
  }

  /**
   * Answers a publish or play that auth refused, then closes: the client learns it is not allowed,
   * the log line of the auth service says why, and the reason stays off the wire, since a callback's
   * failure could name the operator's internal hosts.
   */
  void refuseUnauthorized(int streamId, String code, String command, StreamKey key, String reason) {
    writer.status(streamId, "error", code, "Not authorized to " + command + " " + key + ".");
    connection.end(command + " refused: " + reason);
  }
}
