package dev.streamedge.load.hostile;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Keeps {@code size} connections of one kind open to one address: whenever the server closes one,
 * another is opened, at most {@code openPerSecond} a second so that a server that closes everything at
 * once meets a steady stream of reconnects rather than a burst. What a connection sends is the kind's
 * business ({@code onOpen}, and {@code onTick} once a second for every open connection).
 */
final class Population {

  private static final long TICK_MS = 10;

  private final Vertx vertx;
  private final NetClient client;
  private final String host;
  private final int port;
  private final int size;
  private final double openPerTick;
  private final BiConsumer<NetSocket, Tally> onOpen;
  private final Tick onTick;
  private final Tally tally;
  /** Open connections and when each opened, for the time the server let it hold its slot. */
  private final Map<NetSocket, Long> open = new LinkedHashMap<>();
  private int pending;
  private double credit;
  private boolean stopped;
  private long ticks;

  Population(Vertx vertx, NetClient client, String host, int port, int size, double openPerSecond,
      BiConsumer<NetSocket, Tally> onOpen, Tick onTick, Tally tally) {
    this.vertx = vertx;
    this.client = client;
    this.host = host;
    this.port = port;
    this.size = size;
    this.openPerTick = openPerSecond * TICK_MS / 1000.0;
    this.onOpen = onOpen;
    this.onTick = onTick;
    this.tally = tally;
  }

  /** What an open connection does each second; {@code secondsOpen} counts from its opening. */
  @FunctionalInterface
  interface Tick {
    void second(NetSocket socket, long secondsOpen, Tally tally);
  }

  /** On the attacker's event loop. */
  void start() {
    vertx.setPeriodic(TICK_MS, id -> {
      if (stopped) {
        vertx.cancelTimer(id);
        return;
      }
      credit = Math.min(credit + openPerTick, Math.max(1, openPerTick));
      while (credit >= 1 && open.size() + pending < size) {
        credit--;
        connect();
      }
      if (++ticks % (1000 / TICK_MS) == 0 && onTick != null) {
        long now = System.currentTimeMillis();
        for (Map.Entry<NetSocket, Long> e : open.entrySet()) {
          onTick.second(e.getKey(), (now - e.getValue()) / 1000, tally);
        }
      }
    });
  }

  int open() {
    return open.size();
  }

  void stop() {
    stopped = true;
    for (NetSocket socket : open.keySet().toArray(NetSocket[]::new)) {
      open.remove(socket);
      socket.close();
    }
  }

  private void connect() {
    pending++;
    client.connect(port, host).onComplete(ar -> {
      pending--;
      if (ar.failed()) {
        tally.failedToOpen++;
        return;
      }
      NetSocket socket = ar.result();
      if (stopped) {
        socket.close();
        return;
      }
      tally.opened++;
      open.put(socket, System.currentTimeMillis());
      socket.handler(data -> { });
      socket.closeHandler(v -> {
        Long openedAt = open.remove(socket);
        if (openedAt != null) {
          tally.closed(openedAt);
        }
      });
      socket.exceptionHandler(e -> tally.errors++);
      onOpen.accept(socket, tally);
    });
  }
}
