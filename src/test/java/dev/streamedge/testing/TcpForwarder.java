package dev.streamedge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A layer-4 load balancer with one backend at a time, as a TCP load balancer in front of a cluster
 * is to its clients: one address, which the test repoints to another node ({@link #pointTo}) as a
 * health check would after a node died. Connections already open stay on their backend; new ones go
 * to the current one. Blocking sockets on its own threads: this is test code, not an event loop.
 */
public final class TcpForwarder implements AutoCloseable {

  private final ServerSocket server;
  private final AtomicReference<InetSocketAddress> backend;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  /** The first bytes clients sent, over every connection in the order they came: a tap for tests. */
  private final ByteArrayOutputStream fromClients = new ByteArrayOutputStream();
  /** Bytes passed from the backends to the clients, and the other way. */
  private final LongAdder toClients = new LongAdder();
  private final LongAdder toBackends = new LongAdder();

  private TcpForwarder(ServerSocket server, InetSocketAddress backend) {
    this.server = server;
    this.backend = new AtomicReference<>(backend);
  }

  /** Listens on {@code 127.0.0.1} on a free port, forwarding to {@code host:port}. */
  public static TcpForwarder start(String host, int port) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    TcpForwarder forwarder = new TcpForwarder(server, new InetSocketAddress(host, port));
    Thread accept = new Thread(forwarder::acceptLoop, "forwarder-accept-" + server.getLocalPort());
    accept.setDaemon(true);
    accept.start();
    return forwarder;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Bytes the clients got from the backends so far: what the server wrote to them, as they received it. */
  public long bytesToClients() {
    return toClients.sum();
  }

  /** Bytes the clients sent to the backends so far. */
  public long bytesToBackends() {
    return toBackends.sum();
  }

  /** Connections open now (each client with its backend). */
  public int openConnections() {
    return sockets.size() / 2;
  }

  /** New connections go to {@code host:port} from now on. */
  public void pointTo(String host, int port) {
    backend.set(new InetSocketAddress(host, port));
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        try {
          upstream.connect(backend.get(), 3000);
        } catch (IOException e) {
          client.close();
          upstream.close();
          continue;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream, true, toBackends);
        pump(upstream, client, false, toClients);
      } catch (IOException e) {
        return;
      }
    }
  }

  /** The first {@value #MAX_TAPPED} bytes the clients sent, all connections together. */
  public byte[] fromClients() {
    synchronized (fromClients) {
      return fromClients.toByteArray();
    }
  }

  private static final int MAX_TAPPED = 64 * 1024;

  private void pump(Socket from, Socket to, boolean tap, LongAdder count) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          // Counted as read: what the sender's kernel delivered, whether or not the other side still takes it.
          count.add(read);
          out.write(buffer, 0, read);
          if (tap) {
            synchronized (fromClients) {
              fromClients.write(buffer, 0, Math.min(read, Math.max(0, MAX_TAPPED - fromClients.size())));
            }
          }
        }
      } catch (IOException e) {
        // one side went away: the other goes too, below
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "forwarder-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private void closeQuietly(Socket socket) {
    sockets.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(this::closeQuietly);
  }
}
