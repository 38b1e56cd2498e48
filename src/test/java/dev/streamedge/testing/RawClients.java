package dev.streamedge.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Many plain TCP clients of one server, driven from the calling thread with one selector: what a
 * slowloris or a crowd of idle keep-alive clients does to a server. Each client keeps the first bytes
 * it received and when the server closed it.
 */
public final class RawClients implements AutoCloseable {

  private static final int KEPT = 256;

  private final Selector selector;
  private final List<Client> clients = new ArrayList<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);

  private RawClients(Selector selector) {
    this.selector = selector;
  }

  /** Opens {@code count} connections to {@code 127.0.0.1:port}; they send nothing yet. */
  public static RawClients connect(int port, int count) throws IOException {
    return connectFrom("127.0.0.1", port, count);
  }

  /** As {@link #connect}, from the local address {@code from}, such as another loopback address. */
  public static RawClients connectFrom(String from, int port, int count) throws IOException {
    RawClients raw = new RawClients(Selector.open());
    for (int i = 0; i < count; i++) {
      SocketChannel channel = SocketChannel.open();
      channel.bind(new InetSocketAddress(from, 0));
      channel.connect(new InetSocketAddress("127.0.0.1", port));
      channel.configureBlocking(false);
      Client client = new Client(channel, System.nanoTime());
      channel.register(raw.selector, SelectionKey.OP_READ, client);
      raw.clients.add(client);
    }
    return raw;
  }

  /** Sends {@code text} whole on every open connection. */
  public void send(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    for (Client client : clients) {
      write(client, bytes, 0, bytes.length);
    }
  }

  /**
   * Sends {@code text} one byte per {@code interval} on every open connection, reading what comes
   * back meanwhile, until it is all sent, every connection is closed, or {@code atMost} has passed.
   */
  public void trickle(String text, Duration interval, Duration atMost) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    long end = System.nanoTime() + atMost.toNanos();
    for (int i = 0; i < bytes.length && open() > 0 && System.nanoTime() < end; i++) {
      for (Client client : clients) {
        write(client, bytes, i, 1);
      }
      readFor(interval);
    }
  }

  /** Reads until every connection is closed or {@code atMost} has passed. */
  public void awaitClosed(Duration atMost) throws IOException {
    long end = System.nanoTime() + atMost.toNanos();
    while (open() > 0 && System.nanoTime() < end) {
      readFor(Duration.ofMillis(20));
    }
  }

  /** Reads until every open connection has received at least {@code text}, or {@code atMost} has passed. */
  public void awaitReceived(String text, Duration atMost) throws IOException {
    long end = System.nanoTime() + atMost.toNanos();
    while (clients.stream().anyMatch(c -> c.closedAt == 0 && !c.received().contains(text))
        && System.nanoTime() < end) {
      readFor(Duration.ofMillis(20));
    }
  }

  public int count() {
    return clients.size();
  }

  public int open() {
    return (int) clients.stream().filter(c -> c.closedAt == 0).count();
  }

  /** How many received bytes that start with {@code prefix}. */
  public int receivedStartingWith(String prefix) {
    return (int) clients.stream().filter(c -> c.received().startsWith(prefix)).count();
  }

  /** For each closed connection, the time from its connect to its close, in milliseconds. */
  public List<Long> closedAfterConnectMillis() {
    return clients.stream().filter(c -> c.closedAt != 0).map(c -> (c.closedAt - c.connectedAt) / 1_000_000).toList();
  }

  /** For each closed connection, the time from the last byte it received to its close, in milliseconds. */
  public List<Long> closedAfterLastReceiveMillis() {
    return clients.stream().filter(c -> c.closedAt != 0 && c.lastReceivedAt != 0)
        .map(c -> (c.closedAt - c.lastReceivedAt) / 1_000_000).toList();
  }

  private void write(Client client, byte[] bytes, int offset, int length) {
    if (client.closedAt != 0) {
      return;
    }
    try {
      ByteBuffer data = ByteBuffer.wrap(bytes, offset, length);
      while (data.hasRemaining()) {
        if (client.channel.write(data) == 0) {
          Thread.onSpinWait();
        }
      }
    } catch (IOException e) {
      client.close();
    }
  }

  private void readFor(Duration duration) throws IOException {
    long end = System.nanoTime() + duration.toNanos();
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      selector.select(Math.max(1, left / 1_000_000));
      for (SelectionKey key : selector.selectedKeys()) {
        Client client = (Client) key.attachment();
        readFrom(client);
        if (client.closedAt != 0) {
          key.cancel();
        }
      }
      selector.selectedKeys().clear();
    }
  }

  private void readFrom(Client client) {
    try {
      int read;
      while ((read = client.channel.read(readBuffer.clear())) > 0) {
        client.lastReceivedAt = System.nanoTime();
        int keep = Math.min(read, KEPT - client.kept.length());
        client.kept.append(new String(readBuffer.array(), 0, Math.max(keep, 0), StandardCharsets.ISO_8859_1));
      }
      if (read < 0) {
        client.close();
      }
    } catch (IOException e) {
      client.close();
    }
  }

  @Override
  public void close() throws IOException {
    for (Client client : clients) {
      client.close();
    }
    selector.close();
  }

  private static final class Client {
    final SocketChannel channel;
    final long connectedAt;
    final StringBuilder kept = new StringBuilder();
    long lastReceivedAt;
    long closedAt;

    Client(SocketChannel channel, long connectedAt) {
      this.channel = channel;
      this.connectedAt = connectedAt;
    }

    String received() {
      return kept.toString();
    }

    void close() {
      if (closedAt == 0) {
        closedAt = System.nanoTime();
      }
      try {
        channel.close();
      } catch (IOException e) {
        // Closed either way.
      }
    }
  }
}
