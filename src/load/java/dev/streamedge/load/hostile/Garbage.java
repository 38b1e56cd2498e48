package dev.streamedge.load.hostile;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Opens connections at a fixed rate and sends each one kilobytes of random bytes: to the RTMP port
 * behind a valid version byte (so the garbage reaches the handshake and the chunk decoder, not only the
 * version check), to the HTTP port as is. The server should close each one; one it leaves open after
 * {@code giveUpMillis} is closed here and counted as not closed.
 */
final class Garbage {

  private static final long TICK_MS = 10;
  private static final int BYTES = 8192;

  private final Vertx vertx;
  private final NetClient client;
  private final String host;
  private final int port;
  private final boolean rtmp;
  private final double perTick;
  private final long giveUpMillis;
  private final Tally tally;
  private final SplittableRandom random = new SplittableRandom(20261202);
  private final Map<NetSocket, Long> open = new HashMap<>();
  private double credit;
  private boolean stopped;
  long notClosed;

  Garbage(Vertx vertx, NetClient client, String host, int port, boolean rtmp, double perSecond, long giveUpMillis,
      Tally tally) {
    this.vertx = vertx;
    this.client = client;
    this.host = host;
    this.port = port;
    this.rtmp = rtmp;
    this.perTick = perSecond * TICK_MS / 1000.0;
    this.giveUpMillis = giveUpMillis;
    this.tally = tally;
  }

  void start() {
    vertx.setPeriodic(TICK_MS, id -> {
      if (stopped) {
        vertx.cancelTimer(id);
        return;
      }
      credit += perTick;
      while (credit >= 1) {
        credit--;
        connect();
      }
    });
  }

  void stop() {
    stopped = true;
    for (NetSocket socket : open.keySet().toArray(NetSocket[]::new)) {
      open.remove(socket);
      socket.close();
    }
  }

  private void connect() {
    client.connect(port, host).onComplete(ar -> {
      if (ar.failed()) {
        tally.failedToOpen++;
        return;
      }
      NetSocket socket = ar.result();
      tally.opened++;
      open.put(socket, System.currentTimeMillis());
      socket.handler(data -> { });
      socket.exceptionHandler(e -> tally.errors++);
      socket.closeHandler(v -> {
        Long openedAt = open.remove(socket);
        if (openedAt != null) {
          tally.closed(openedAt);
        }
      });
      byte[] bytes = new byte[BYTES];
      random.nextBytes(bytes);
      if (rtmp) {
        bytes[0] = 3;
      }
      socket.write(Buffer.buffer(bytes));
      tally.bytesSent += bytes.length;
      vertx.setTimer(giveUpMillis, t -> {
        if (open.remove(socket) != null) {
          notClosed++;
          socket.close();
        }
      });
    });
  }
}
