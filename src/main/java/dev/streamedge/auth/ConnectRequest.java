package dev.streamedge.auth;

/**
 * One RTMP connect to ask {@code auth.callback.on-connect} about, and to tell {@code on-disconnect} of: what
 * the client's connect command said, as nginx-rtmp's on_connect sends it.
 *
 * @param app the app, without its query
 * @param query the query of the connect's app ({@code live?token=...}), without '?'; may be empty
 * @param tcUrl the connect's tcUrl; may be empty
 * @param flashVer the connect's flashVer; may be empty
 * @param swfUrl the connect's swfUrl; may be empty
 * @param pageUrl the connect's pageUrl; may be empty
 * @param addr the client's IP address
 * @param peer the client as log lines name it (address and port)
 * @param protocol rtmp, rtmps, rtmpe, rtmpt...
 * @param epoch the connection's start on the node's millisecond clock, as nginx-rtmp's {@code epoch}
 */
public record ConnectRequest(String app, String query, String tcUrl, String flashVer, String swfUrl, String pageUrl,
    String addr, String peer, String protocol, long epoch) {

  /** The same connect, to {@code otherApp}: where the on_connect answer sent it. */
  public ConnectRequest toApp(String otherApp) {
    return new ConnectRequest(otherApp, query, tcUrl, flashVer, swfUrl, pageUrl, addr, peer, protocol, epoch);
  }
}
