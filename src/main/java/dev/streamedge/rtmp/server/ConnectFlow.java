package dev.streamedge.rtmp.server;

import dev.streamedge.auth.AuthAction;
import dev.streamedge.auth.AuthRequest;
import dev.streamedge.auth.ConnectRequest;
import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.session.Protocol;
import dev.streamedge.stream.StreamKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connect flow of a connection's NetConnection (RTMP 1.0 §7.2.1.1, §7.3.1.1): checks the app name,
 * keeps what connect said (app, its query, tcUrl, whether the client can reconnect) for the publish and
 * play flows and their auth requests, and answers with the window, the peer bandwidth, the chunk size
 * and {@code _result}. On the connection's context.
 */
final class ConnectFlow {

  private static final int PEER_BANDWIDTH_DYNAMIC = 2;
  /** Enhanced RTMP v2, connect's capsEx: the client can reconnect when the server asks. */
  private static final int CAPS_EX_RECONNECT = 0x01;
  /** Longer flashVer strings than any encoder sends are cut: they are only shown. */
  private static final int MAX_FLASH_VER = 128;
  /** swfUrl and pageUrl go to the callbacks only: cut at 256 characters, as nginx-rtmp's buffers cut them. */
  private static final int MAX_URL = 256;

  private final RtmpServer server;
  private final ConnectionWriter writer;
  private String app = "";
  /** The query of the connect's app ({@code live?token=...}), passed to auth with the stream name's. */
  private String query = "";
  private String tcUrl = "";
  /** The client's flashVer, for the API and /stat; cut to {@link #MAX_FLASH_VER} characters. */
  private String flashVer = "";
  private String swfUrl = "";
  private String pageUrl = "";
  private boolean reconnects;

  ConnectFlow(RtmpServer server, ConnectionWriter writer) {
    this.server = server;
    this.writer = writer;
  }

  /** The app connected to; empty before connect. */
  String app() {
    return app;
  }

  /**
   * Takes what a {@code connect} says, or refuses it (an invalid app name is answered first).
   *
   * @return its command object, for {@link #answer}
   */
  Map<?, ?> accept(double tx, Object commandObject) throws ProtocolException {
    if (!(commandObject instanceof Map<?, ?> properties)) {
      throw new ProtocolException("connect without a command object");
    }
    StreamName appName = StreamName.parse(properties.get("app") instanceof String s ? s.replaceAll("/+$", "") : null);
    if (appName == null) {
      writer.error(tx, "NetConnection.Connect.Rejected", "Invalid application name.");
      throw new ProtocolException("connect with an invalid app name " + properties.get("app"));
    }
    app = appName.name();
    query = appName.query();
    tcUrl = properties.get("tcUrl") instanceof String s ? s : "";
    flashVer = properties.get("flashVer") instanceof String s
        ? s.substring(0, Math.min(s.length(), MAX_FLASH_VER)) : "";
    swfUrl = properties.get("swfUrl") instanceof String s ? s.substring(0, Math.min(s.length(), MAX_URL)) : "";
    pageUrl = properties.get("pageUrl") instanceof String s ? s.substring(0, Math.min(s.length(), MAX_URL)) : "";
    // Enhanced RTMP v2: a client that sets the Reconnect bit of capsEx follows a ReconnectRequest.
    reconnects = properties.get("capsEx") instanceof Double caps && (caps.intValue() & CAPS_EX_RECONNECT) != 0;
    return properties;
  }

  /** The connect's flashVer, {@code ""} before it or without one. */
  String flashVer() {
    return flashVer;
  }

  /** Answers an accepted connect, and logs it. */
  void answer(double tx, Map<?, ?> properties, Protocol protocol, String peer) {
    writer.control(MessageType.WINDOW_ACK_SIZE, RtmpWire.int32(server.windowAckSize()));
    writer.control(MessageType.SET_PEER_BANDWIDTH,
        RtmpWire.setPeerBandwidth(server.windowAckSize(), PEER_BANDWIDTH_DYNAMIC));
    if (!protocol.rtmpe()) {
      writer.announceChunkSize(server.chunkSize());
    }
    Map<String, Object> serverInfo = new LinkedHashMap<>();
    serverInfo.put("fmsVer", "FMS/3,0,1,123");
    serverInfo.put("capabilities", 31.0);
    Map<String, Object> info =
        ConnectionWriter.status("status", "NetConnection.Connect.Success", "Connection succeeded.");
    info.put("objectEncoding", properties.get("objectEncoding") instanceof Double d ? d : 0.0);
    writer.command(0, "_result", tx, serverInfo, info);
    ConnectionLogs.CONNECT.info("connect {} protocol={} app={} tcUrl={} flashVer={}", peer, protocol.label(), app,
        properties.get("tcUrl"), properties.get("flashVer"));
  }

  /**
   * The node is shutting down while the connection publishes: a client that can reconnect is asked to
   * (Enhanced RTMP's NetConnection.Connect.ReconnectRequest), to another node.
   */
  void requestReconnect(String peer) {
    if (reconnects) {
      writer.command(0, "onStatus", 0.0, null, ConnectionWriter.status("status",
          "NetConnection.Connect.ReconnectRequest", "The server is shutting down: reconnect."));
      ConnectionLogs.RECONNECT.info("reconnect requested {} reason=server shutting down", peer);
    }
  }

  /** What the connect callback is asked, and the disconnect callback told, about this connect. */
  ConnectRequest connectRequest(String addr, String peer, Protocol protocol, long epochMillis) {
    return new ConnectRequest(app, query, tcUrl, flashVer, swfUrl, pageUrl, addr, peer, protocol.label(), epochMillis);
  }

  /** The connect callback moved the connection to {@code otherApp} (nginx-rtmp's connect redirect). */
  void moveTo(String otherApp) {
    app = otherApp;
  }

  /**
   * What auth is asked for a publish or play: the stream name's query and connect's, joined, and nginx-rtmp's
   * session fields (flashver, swfurl, pageurl, clientid) with the command's own ({@link CommandFields}).
   */
  AuthRequest authRequest(AuthAction action, StreamKey key, String nameQuery, String addr, String peer,
      Protocol protocol, long clientId, List<Map.Entry<String, String>> commandFields) {
    String joined = query.isEmpty() ? nameQuery : nameQuery.isEmpty() ? query : nameQuery + "&" + query;
    List<Map.Entry<String, String>> session = new ArrayList<>(4 + commandFields.size());
    session.add(Map.entry("flashver", flashVer));
    session.add(Map.entry("swfurl", swfUrl));
    session.add(Map.entry("pageurl", pageUrl));
    session.add(Map.entry("clientid", Long.toString(clientId)));
    session.addAll(commandFields);
    return new AuthRequest(action, key, joined, addr, peer, protocol.label(), tcUrl, List.copyOf(session));
  }
}
