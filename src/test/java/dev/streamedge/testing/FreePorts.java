package dev.streamedge.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free ports for test nodes, outside the kernel's ephemeral range.
 *
 * <p>A port from {@code bind(0)} is an ephemeral one. A node in its own JVM binds its ports seconds
 * after the test picked them (after its cluster joined), and in between any outgoing connection on
 * the machine (Hazelcast members meeting, the event bus, ffmpeg, HTTP clients) may take that port as
 * its local end: the node then fails with "Address already in use". Outgoing connections never get
 * a port outside the ephemeral range, and a counter keeps this JVM from handing out one port twice.
 */
public final class FreePorts {

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  /** Linux's default ephemeral range, for systems that do not tell theirs. */
  private static final int[] DEFAULT_EPHEMERAL = {32768, 60999};
  private static final int LOWEST = 10_000;
  private static final int HIGHEST = 65_535;
  private static final int ENOUGH = 1_000;

  /**
   * Test JVMs that run at once (surefire's forks, docs/testing.md#lanes) each take their own slice of
   * the candidates, so that two JVMs never check the same port at the same moment and both take it.
   */
  private static final int SLICES = 6;
  private static final int[] RANGE = slice(candidates(), Integer.getInteger("streamedge.test.fork", 1));
  private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(span()));

  private FreePorts() {
  }

  /** A port that nothing listens on now, and that this JVM has not handed out before. */
  public static int next() throws IOException {
    for (int tried = 0; tried < span(); tried++) {
      int port = RANGE[0] + Math.floorMod(NEXT.getAndIncrement(), span());
      if (bindable(port)) {
        return port;
      }
    }
    throw new IOException("no free port in " + RANGE[0] + "-" + RANGE[1]);
  }

  private static int span() {
    return RANGE[1] - RANGE[0] + 1;
  }

  /** Slice {@code fork} (1-based, taken modulo {@link #SLICES}) of {@code range}. */
  private static int[] slice(int[] range, int fork) {
    int width = (range[1] - range[0] + 1) / SLICES;
    int low = range[0] + Math.floorMod(fork - 1, SLICES) * width;
    return new int[] {low, low + width - 1};
  }

  /** The wider of the spans below and above the ephemeral range. */
  private static int[] candidates() {
    int[] ephemeral = ephemeralRange();
    int[] below = {LOWEST, ephemeral[0] - 1};
    int[] above = {ephemeral[1] + 1, HIGHEST};
    int[] wider = below[1] - below[0] >= above[1] - above[0] ? below : above;
    if (wider[1] - wider[0] < ENOUGH * SLICES) {
      throw new IllegalStateException("the ephemeral range " + ephemeral[0] + "-" + ephemeral[1]
          + " leaves fewer than " + ENOUGH * SLICES + " ports for test servers");
    }
    return wider;
  }

  private static int[] ephemeralRange() {
    try {
      String[] bounds = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
      return new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])};
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL;
    }
  }

  /**
   * Bound on the wildcard address, so that a listener on any one address also counts as taken; for TCP and UDP
   * both, since a node's SRT listener takes a UDP port from here too.
   */
  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(); DatagramSocket datagrams = new DatagramSocket(null)) {
      socket.bind(new InetSocketAddress(port));
      datagrams.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
