package dev.streamedge.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP hop on loopback that loses packets, as a bad network does: what a client sends to {@link #port()}
 * goes to the server, what the server answers goes back to the last client address, and each datagram is
 * dropped with the probability given for its direction (a seeded {@link Random}, so a failure replays).
 * Runs on a thread of its own until closed.
 */
public final class LossyUdpForwarder implements AutoCloseable {

  private final DatagramChannel channel;
  private final InetSocketAddress server;
  private final double upLoss;
  private final double downLoss;
  private final long seed;
  private final Random random;
  private final Thread thread;
  private final AtomicLong droppedUp = new AtomicLong();
  private final AtomicLong droppedDown = new AtomicLong();
  private final AtomicLong forwardedUp = new AtomicLong();
  private volatile SocketAddress client;
  /** The one server datagram, counted from 1, dropped besides the random losses; 0 for none. */
  private volatile long dropDownNumber;
  private long downNumber;
  /** How long after the client's first datagram the losses last, in nanoseconds; forever by default. */
  private volatile long lossNanos = Long.MAX_VALUE;
  private long firstFromClientNanos = -1;
  private volatile boolean closed;

  /**
   * @param upLoss the share of the client's datagrams dropped
   * @param downLoss the share of the server's datagrams dropped
   */
  public LossyUdpForwarder(int serverPort, double upLoss, double downLoss, long seed) throws IOException {
    this.server = new InetSocketAddress("127.0.0.1", serverPort);
    this.upLoss = upLoss;
    this.downLoss = downLoss;
    this.seed = seed;
    this.random = new Random(seed);
    this.channel = DatagramChannel.open();
    channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
    channel.bind(new InetSocketAddress("127.0.0.1", 0));
    this.thread = new Thread(this::run, "lossy-udp-forwarder");
    thread.setDaemon(true);
    thread.start();
  }

  public int port() {
    return ((InetSocketAddress) channel.socket().getLocalSocketAddress()).getPort();
  }

  /**
   * Drops the server's {@code number}th datagram (from 1) whatever the losses: the second is an SRT listener's
   * answer to the caller's conclusion.
   */
  public LossyUdpForwarder droppingServerDatagram(long number) {
    dropDownNumber = number;
    return this;
  }

  /**
   * Loses datagrams only for {@code duration} from the client's first one, then passes everything: a libsrt
   * sender in live mode sends a packet again only when the receiver reports it lost (core.cpp checkRexmitTimer:
   * no blind retransmission towards a receiver that sends periodic loss reports), and a receiver sees a loss
   * only when a later packet comes, so a stream's lost last packet is lost for good whatever the server does.
   */
  public LossyUdpForwarder losingOnlyFor(Duration duration) {
    lossNanos = duration.toNanos();
    return this;
  }

  /** Client datagrams dropped so far. */
  public long droppedUp() {
    return droppedUp.get();
  }

  /** Server datagrams dropped so far. */
  public long droppedDown() {
    return droppedDown.get();
  }

  /** Client datagrams passed on so far. */
  public long forwardedUp() {
    return forwardedUp.get();
  }

  private void run() {
    ByteBuffer buffer = ByteBuffer.allocate(65536);
    try {
      while (!closed) {
        buffer.clear();
        SocketAddress from = channel.receive(buffer);
        buffer.flip();
        boolean fromServer = from.equals(server);
        if (!fromServer) {
          client = from;
          if (firstFromClientNanos < 0) {
            firstFromClientNanos = System.nanoTime();
          }
        }
        boolean losing = firstFromClientNanos >= 0 && System.nanoTime() - firstFromClientNanos < lossNanos;
        boolean chosen = fromServer && ++downNumber == dropDownNumber;
        if (losing && random.nextDouble() < (fromServer ? downLoss : upLoss) || chosen) {
          (fromServer ? droppedDown : droppedUp).incrementAndGet();
          continue;
        }
        SocketAddress to = fromServer ? client : server;
        if (to != null) {
          channel.send(buffer, to);
          if (!fromServer) {
            forwardedUp.incrementAndGet();
          }
        }
      }
    } catch (IOException e) {
      if (!closed) {
        throw new IllegalStateException("the forwarder failed", e);
      }
    }
  }

  /** The losses and the seed, for a failure's message: the same seed drops the same datagrams' positions. */
  @Override
  public String toString() {
    return "a hop losing " + upLoss + " up, " + downLoss + " down"
        + (lossNanos == Long.MAX_VALUE ? "" : " for " + Duration.ofNanos(lossNanos)) + ", seed " + seed + "L";
  }

  @Override
  public void close() throws Exception {
    closed = true;
    channel.close();
    thread.join(5000);
  }
}
