package dev.streamedge.testing;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.amf.Amf0;
import dev.streamedge.rtmp.chunk.ChunkDecoder;
import dev.streamedge.rtmp.chunk.ChunkEncoder;
import dev.streamedge.rtmp.handshake.ClientHandshake;
import dev.streamedge.rtmp.handshake.Handshake;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * A blocking RTMP client on a plain {@link Socket} for crafting raw (and broken) sessions. Every read
 * is bounded by a deadline. While reading it answers the server's Ping Requests unless told not to,
 * and keeps what it received for {@link #await}.
 */
public final class RawRtmp implements AutoCloseable {

  public static final int UC_PING_REQUEST = 6;
  public static final int UC_PING_RESPONSE = 7;
  private static final int MAX_MESSAGE = 0xFFFFFF;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ChunkEncoder encoder = new ChunkEncoder(128);
  private final ChunkDecoder decoder = new ChunkDecoder(Integer.MAX_VALUE, MAX_MESSAGE, 2 * MAX_MESSAGE, ChunkDecoder.ALL_CHUNK_STREAMS);
  private final List<RtmpMessage> inbox = new ArrayList<>();
  private final byte[] buffer = new byte[64 * 1024];
  private boolean handshakeDone;
  private boolean answerPings = true;
  private boolean closedByServer;
  private int pingsAnswered;
  private long firstServerPingNanos = -1;

  private RawRtmp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public static RawRtmp open(int port) throws IOException {
    return open(port, 0);
  }

  /**
   * Opens a connection whose kernel receive buffer is {@code receiveBufferSize} bytes (0 for the
   * default): a small one makes a client that stops reading look like a slow link at once.
   */
  public static RawRtmp open(int port, int receiveBufferSize) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    if (receiveBufferSize > 0) {
      socket.setReceiveBufferSize(receiveBufferSize);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return new RawRtmp(socket);
  }

  /**
   * Opens a connection from {@code localAddress}: on Linux every address of 127.0.0.0/8 is this host,
   * so tests can play clients of several addresses.
   */
  public static RawRtmp openFrom(String localAddress, int port) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.bind(new InetSocketAddress(localAddress, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return new RawRtmp(socket);
  }

  /** Opens, handshakes (plain C1) and sends connect for app {@code live}; waits for its _result. */
  public static RawRtmp connected(int port) throws IOException {
    return connected(open(port));
  }

  /** As {@link #connected(int)}, from {@code localAddress} (see {@link #openFrom}). */
  public static RawRtmp connectedFrom(String localAddress, int port) throws IOException {
    return connected(openFrom(localAddress, port));
  }

  /** A connected client publishing {@code key} in app live, with its Publish.Start, sending 1 MiB chunks. */
  public static RawRtmp publishing(int port, String key) throws IOException {
    RawRtmp client = connected(port);
    client.setChunkSize(1 << 20, true);
    int streamId = ((Double) client.createStream(2.0).get(3)).intValue();
    client.command(streamId, "publish", 3.0, null, key, "live");
    client.awaitStatus("NetStream.Publish.Start", Duration.ofSeconds(10));
    return client;
  }

  private static RawRtmp connected(RawRtmp client) throws IOException {
    client.handshake();
    client.connect("live");
    return client;
  }

  public void answerPings(boolean answer) {
    this.answerPings = answer;
  }

  public int pingsAnswered() {
    return pingsAnswered;
  }

  /** System.nanoTime() when the first Ping Request of the server arrived, or -1. */
  public long firstServerPingNanos() {
    return firstServerPingNanos;
  }

  // ---- writing ----

  /** This client's end as the server logs it: {@code 127.0.0.1:port}. */
  public String localAddress() {
    return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  /** Sends FIN: the server sees the end of what this client sends, and may still answer. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Writes bytes as they are. */
  public void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  public void write(ByteBuf bytes) throws IOException {
    write(ByteBufUtil.getBytes(bytes));
  }

  /** C0+C1, then S0+S1+S2 in, then C2 out. */
  public void handshake() throws IOException {
    byte[] hello = ClientHandshake.hello(false, new Random());
    write(hello);
    byte[] answer = readExactly(Handshake.S0S1S2_SIZE, Duration.ofSeconds(5));
    try {
      write(ClientHandshake.acknowledge(hello, answer));
    } catch (ProtocolException e) {
      throw new AssertionError("server handshake answer rejected: " + e.getMessage(), e);
    }
    handshakeDone = true;
  }

  /**
   * Handshakes if the server accepted the connection; false if it closed the connection instead
   * (as it does beyond {@code rtmp.max-connections}).
   */
  public boolean handshakeIfAccepted() throws IOException {
    byte[] hello = ClientHandshake.hello(false, new Random());
    try {
      write(hello);
    } catch (SocketException e) {
      return false;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    byte[] answer = new byte[Handshake.S0S1S2_SIZE];
    int have = 0;
    while (have < answer.length) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("neither a handshake answer nor a close within 5 s");
      }
      socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
      int n;
      try {
        n = in.read(answer, have, answer.length - have);
      } catch (SocketTimeoutException e) {
        continue;
      } catch (SocketException e) {
        n = -1;
      }
      if (n < 0) {
        if (have > 0) {
          throw new AssertionError("closed in the middle of the handshake answer");
        }
        closedByServer = true;
        return false;
      }
      have += n;
    }
    try {
      write(ClientHandshake.acknowledge(hello, answer));
    } catch (ProtocolException e) {
      throw new AssertionError("server handshake answer rejected: " + e.getMessage(), e);
    }
    handshakeDone = true;
    return true;
  }

  /** Sends one message with the connection's stateful chunk encoder. */
  public void send(RtmpMessage message) throws IOException {
    ByteBuf bytes = Unpooled.buffer();
    encoder.encode(message, bytes);
    write(bytes);
  }

  public void command(int streamId, Object... values) throws IOException {
    send(new RtmpMessage(streamId == 0 ? 3 : 8, MessageType.COMMAND_AMF0, streamId, 0, Amf0.encodeAll(values)));
  }

  /** Sends Set Chunk Size with {@code size} as its 4 bytes; the encoder switches only if {@code apply}. */
  public void setChunkSize(long size, boolean apply) throws IOException {
    send(new RtmpMessage(2, MessageType.SET_CHUNK_SIZE, 0, 0, Unpooled.buffer(4).writeInt((int) size)));
    if (apply) {
      encoder.setChunkSize((int) size);
    }
  }

  public void userControl(int event, long value) throws IOException {
    send(new RtmpMessage(2, MessageType.USER_CONTROL, 0, 0, Unpooled.buffer(6).writeShort(event).writeInt((int) value)));
  }

  public void connect(String app) throws IOException {
    connect(app, Map.of());
  }

  /** connect with further command-object properties, such as Enhanced RTMP's {@code capsEx}. */
  public void connect(String app, Map<String, Object> more) throws IOException {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("app", app);
    properties.putAll(more);
    properties.put("flashVer", "LNX 9,0,124,2");
    properties.put("tcUrl", "rtmp://127.0.0.1:" + socket.getPort() + "/" + app);
    command(0, "connect", 1.0, properties);
    awaitCommand("_result of connect", Duration.ofSeconds(5), "_result", 1.0);
  }

  /**
   * A viewer that asks to play {@code key} in app live and then never reads another byte, with a
   * 4 KiB receive window: the worst client a server meets.
   */
  public static RawRtmp stalledPlayer(int port, String key) throws IOException {
    RawRtmp client = open(port, 4096);
    client.handshake();
    client.connect("live");
    List<Object> created = client.createStream(2.0);
    int streamId = ((Double) created.get(3)).intValue();
    client.command(streamId, "play", 0.0, null, key, -2.0);
    return client;
  }

  /** A player of {@code key} in app live that reads what it is sent only when asked to await something. */
  public static RawRtmp playing(int port, String key) throws IOException {
    RawRtmp client = open(port);
    client.handshake();
    client.connect("live");
    List<Object> created = client.createStream(2.0);
    client.command(((Double) created.get(3)).intValue(), "play", 0.0, null, key, -2.0);
    return client;
  }

  /** createStream with transaction {@code tx}; returns the server's answer (_result or _error). */
  public List<Object> createStream(double tx) throws IOException {
    command(0, "createStream", tx, null);
    return awaitCommand("answer to createStream " + tx, Duration.ofSeconds(5), null, tx);
  }

  // ---- reading ----

  /** Sends a Ping Request and waits for the Ping Response echoing {@code value}: the connection works. */
  public void pingRoundTrip(long value) throws IOException {
    userControl(UC_PING_REQUEST, value);
    await("Ping Response " + value, Duration.ofSeconds(5),
        m -> userControlEvent(m) == UC_PING_RESPONSE && userControlValue(m) == value);
  }

  /** The first received message matching {@code match} (removed from the inbox), waiting up to {@code timeout}. */
  public RtmpMessage await(String what, Duration timeout, Predicate<RtmpMessage> match) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Iterator<RtmpMessage> it = inbox.iterator(); it.hasNext(); ) {
        RtmpMessage message = it.next();
        if (match.test(message)) {
          it.remove();
          return message;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      if (!pump(Duration.ofNanos(left))) {
        throw new AssertionError("server closed the connection while we waited for " + what);
      }
    }
  }

  /** A command named {@code name} (any if null) with transaction id {@code tx} (any if null), as AMF values. */
  public List<Object> awaitCommand(String what, Duration timeout, String name, Double tx) throws IOException {
    RtmpMessage message = await(what, timeout, m -> {
      List<Object> values = commandValues(m);
      return values != null && (name == null || name.equals(values.get(0)))
          && (tx == null || values.size() > 1 && tx.equals(values.get(1)));
    });
    return commandValues(message);
  }

  /** The onStatus code sent on any stream, waiting for {@code code}. */
  public void awaitStatus(String code, Duration timeout) throws IOException {
    await("onStatus " + code, timeout, m -> {
      List<Object> values = commandValues(m);
      return values != null && "onStatus".equals(values.get(0)) && values.size() > 3
          && values.get(3) instanceof Map<?, ?> info && code.equals(info.get("code"));
    });
  }

  /**
   * Reads (and drops) until the server closes the connection: end of stream or a reset. Returns how
   * long that took; fails if it has not happened within {@code timeout}.
   */
  public Duration awaitClosedByServer(Duration timeout) throws IOException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (!closedByServer) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("server did not close the connection within " + timeout.toMillis() + " ms");
      }
      inbox.clear();
      pump(Duration.ofNanos(left));
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Reads what arrives within {@code max} (at least 1 ms), decodes it, answers pings; false once the
   * server has closed the connection.
   */
  public boolean pump(Duration max) throws IOException {
    if (closedByServer) {
      return false;
    }
    socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, max.toMillis())));
    int n;
    try {
      n = in.read(buffer);
    } catch (SocketTimeoutException e) {
      return true;
    } catch (SocketException e) {
      // A reset: the server closed with unread data, or aborted.
      closedByServer = true;
      return false;
    }
    if (n < 0) {
      closedByServer = true;
      return false;
    }
    if (!handshakeDone) {
      // Bytes before or in the handshake are not chunks; nothing waits for them here.
      return true;
    }
    try {
      decoder.decode(Unpooled.wrappedBuffer(buffer, 0, n), this::received);
    } catch (ProtocolException e) {
      throw new AssertionError("the server sent a broken chunk stream: " + e.getMessage(), e);
    }
    return !closedByServer;
  }

  private void received(RtmpMessage message) {
    if (userControlEvent(message) == UC_PING_REQUEST) {
      if (firstServerPingNanos < 0) {
        firstServerPingNanos = System.nanoTime();
      }
      if (answerPings) {
        try {
          userControl(UC_PING_RESPONSE, userControlValue(message));
          pingsAnswered++;
        } catch (IOException e) {
          closedByServer = true;
        }
      }
    }
    inbox.add(message);
  }

  private byte[] readExactly(int length, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] bytes = new byte[length];
    int have = 0;
    while (have < length) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out reading " + length + " bytes, got " + have);
      }
      socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
      int n;
      try {
        n = in.read(bytes, have, length - have);
      } catch (SocketTimeoutException e) {
        continue;
      } catch (SocketException e) {
        throw new AssertionError("connection reset after " + have + " of " + length + " bytes", e);
      }
      if (n < 0) {
        throw new AssertionError("server closed the connection after " + have + " of " + length + " bytes");
      }
      have += n;
    }
    return bytes;
  }

  /** The User Control event type of a message, or -1 for other messages. */
  public static int userControlEvent(RtmpMessage message) {
    ByteBuf p = message.payload();
    return message.typeId() == MessageType.USER_CONTROL && p.readableBytes() >= 2
        ? p.getUnsignedShort(p.readerIndex()) : -1;
  }

  public static long userControlValue(RtmpMessage message) {
    ByteBuf p = message.payload();
    return p.readableBytes() >= 6 ? p.getUnsignedInt(p.readerIndex() + 2) : -1;
  }

  /** The AMF0 values of a command message, or null for other messages. */
  public static List<Object> commandValues(RtmpMessage message) {
    if (message.typeId() != MessageType.COMMAND_AMF0) {
      return null;
    }
    try {
      List<Object> values = Amf0.decodeAll(message.payload().duplicate());
      return values.isEmpty() ? null : values;
    } catch (ProtocolException e) {
      throw new AssertionError("the server sent a broken command: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
