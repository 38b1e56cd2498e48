package dev.streamedge.rtsp.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The UDP ports of a play session whose source sends RTP over UDP (RFC 2326 §12.39 {@code client_port}): for each
 * track an even port for RTP and the next for RTCP (RFC 3550 §11), bound on any address. Datagrams from another host
 * than the source's are dropped: only the server this session asked may feed it. Two sockets a track, closed with
 * the session.
 */
final class UdpPorts {

  /** Tries for an even port whose next one is free too; the system picks each first port. */
  static final int MAX_TRIES = 16;

  private final Vertx vertx;
  private final String sourceHost;
  private final List<DatagramSocket> sockets = new ArrayList<>();
  private boolean closed;

  /** @param sourceHost the address of the RTSP server, the only one whose datagrams are read */
  UdpPorts(Vertx vertx, String sourceHost) {
    this.vertx = vertx;
    this.sourceHost = sourceHost;
  }

  /** Binds a pair of ports; completes with the first (even) one. On the caller's context. */
  Future<Integer> bindPair(Handler<DatagramPacket> rtp, Handler<DatagramPacket> rtcp) {
    Promise<Integer> bound = Promise.promise();
    tryPair(MAX_TRIES, rtp, rtcp, bound);
    return bound.future();
  }

  private void tryPair(int left, Handler<DatagramPacket> rtp, Handler<DatagramPacket> rtcp, Promise<Integer> bound) {
    if (closed) {
      bound.fail("closed");
      return;
    }
    if (left == 0) {
      bound.fail("no pair of free UDP ports in " + MAX_TRIES + " tries");
      return;
    }
    DatagramSocket first = vertx.createDatagramSocket(new DatagramSocketOptions());
    first.listen(0, "0.0.0.0").onComplete(listened -> {
      int port = listened.succeeded() ? first.localAddress().port() : -1;
      if (port < 0 || port % 2 != 0 || port == 65535) {
        first.close();
        tryPair(left - 1, rtp, rtcp, bound);
        return;
      }
      DatagramSocket second = vertx.createDatagramSocket(new DatagramSocketOptions());
      second.listen(port + 1, "0.0.0.0").onComplete(next -> {
        if (closed) {
          first.close();
          second.close();
          bound.fail("closed");
        } else if (next.failed()) {
          first.close();
          second.close();
          tryPair(left - 1, rtp, rtcp, bound);
        } else {
          first.handler(filtered(rtp));
          second.handler(filtered(rtcp));
          sockets.add(first);
          sockets.add(second);
          bound.complete(port);
        }
      });
    });
  }

  private Handler<DatagramPacket> filtered(Handler<DatagramPacket> handler) {
    return packet -> {
      if (sourceHost.equals(packet.sender().hostAddress())) {
        handler.handle(packet);
      }
    };
  }

  /** Closes the sockets, and any bound after this. */
  void close() {
    closed = true;
    for (DatagramSocket socket : sockets) {
      socket.close();
    }
    sockets.clear();
  }
}
