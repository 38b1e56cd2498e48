package dev.streamedge.srt.server;

import io.netty.util.NetUtil;
import io.vertx.core.net.SocketAddress;

/**
 * A caller's UDP address.
 *
 * @param host its IP address, as auth callbacks get it
 * @param port its UDP port
 * @param text {@code host:port}, as log lines and the API name it
 */
record Peer(String host, int port, String text) {

  /** The address's bytes (4 or 16), parsed from the literal: no name lookup. */
  byte[] address() {
    return NetUtil.createByteArrayFromIpAddressString(host);
  }

  static Peer of(SocketAddress address) {
    String host = address.hostAddress();
    return new Peer(host, address.port(), (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.port());
  }
}
