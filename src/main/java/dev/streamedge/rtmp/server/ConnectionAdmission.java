package dev.streamedge.rtmp.server;

import io.vertx.core.net.NetSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the node takes a new RTMP connection: at most {@code rtmp.max-connections} in all, and at
 * most {@code rtmp.max-connections-per-address} from one IP address (0: no such cap), so that one
 * host cannot take every slot. Shared by the listeners of every event loop; lock-free but for the
 * per-address map's own bin locks, held for one counter update.
 */
final class ConnectionAdmission {

  /** The answer to a new connection. */
  enum Verdict { ADMITTED, NODE_FULL, ADDRESS_FULL }

  private final int maxConnections;
  private final int maxPerAddress;
  private final AtomicInteger open = new AtomicInteger();
  /** Open connections by remote address; an address leaves with its last connection, so it is bounded by them. */
  private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();

  ConnectionAdmission(int maxConnections, int maxPerAddress) {
    this.maxConnections = maxConnections;
    this.maxPerAddress = maxPerAddress;
  }

  /** The client's IP address alone, as admission counts it and auth callbacks get it. */
  static String address(NetSocket socket) {
    return socket.remoteAddress() == null ? "" : socket.remoteAddress().hostAddress();
  }

  /** Counts a new connection from {@code address} if it is admitted; each admitted one needs a {@link #release}. */
  Verdict admit(String address) {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      return Verdict.NODE_FULL;
    }
    if (maxPerAddress > 0 && perAddress.merge(address, 1, Integer::sum) > maxPerAddress) {
      forget(address);
      open.decrementAndGet();
      return Verdict.ADDRESS_FULL;
    }
    return Verdict.ADMITTED;
  }

  /** An admitted connection from {@code address} closed. */
  void release(String address) {
    if (maxPerAddress > 0) {
      forget(address);
    }
    open.decrementAndGet();
  }

  int open() {
    return open.get();
  }

  int maxConnections() {
    return maxConnections;
  }

  int maxPerAddress() {
    return maxPerAddress;
  }

  private void forget(String address) {
    perAddress.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
  }
}
