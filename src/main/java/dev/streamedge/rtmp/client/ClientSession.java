package dev.streamedge.rtmp.client;

import dev.streamedge.net.CipherLayer;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.amf.Amf0;
import dev.streamedge.rtmp.chunk.ChunkDecoder;
import dev.streamedge.rtmp.chunk.ChunkEncoder;
import dev.streamedge.rtmp.handshake.ClientHandshake;
import dev.streamedge.rtmp.handshake.EncryptedHandshake;
import dev.streamedge.rtmp.handshake.Handshake;
import dev.streamedge.rtmp.handshake.HandshakeReader;
import dev.streamedge.rtmp.handshake.Rc4;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a client's RTMP connection does whatever it then plays or publishes: the handshake, connect
 * and createStream, acknowledgements after each window of bytes (RTMP 1.0 §5.4.3), answers to pings
 * (§7.1.7), and the end of the connection. The client's {@link Role} does the rest. Used on the
 * event loop of the Vert.x context that connected. Over RTMPE, the handshake is the encrypted one and
 * a {@link CipherLayer} encrypts everything after C2, as on the server.
 */
final class ClientSession {

  /** The part of the client that plays or publishes. */
  interface Role {
    /** What the connect command carries besides {@code app} and {@code tcUrl}. */
    void connectProperties(Map<String, Object> properties);

    /** The server created message stream {@code streamId}: play or publish on it. */
    void streamCreated(int streamId);

    /** An audio (8), video (9) or data (18) message. */
    default void media(RtmpMessage message) {
    }

    /** An onStatus with its info object. */
    void status(Map<?, ?> info);

    /** The connection ended, for {@code reason}, without the client closing it. */
    void ended(String reason);
  }

  static final int CSID_CONTROL = 2;
  static final int CSID_COMMAND = 3;

  private final NetClient netClient;
  private final String app;
  private final String tcUrl;
  private final int chunkSize;
  private final Role role;
  private final boolean encrypted;
  private final ChunkEncoder encoder = new ChunkEncoder(128);
  private final ChunkDecoder decoder;
  private NetSocket socket;
  private byte[] hello;
  /** The RTMPE hello, with the private key behind it; null over plain RTMP. */
  private EncryptedHandshake.Hello encryptedHello;
  /** Reads S0+S1+S2; null after them. */
  private HandshakeReader handshake = new HandshakeReader(Handshake.S0S1S2_SIZE);
  /** Volatile: the load generator reads it from another thread while the event loop counts. */
  private volatile long bytesIn;
  private long bytesAcked;
  private long window;
  private int sendChunkSize = 128;
  private boolean closed;

  /**
   * A session with the server at {@code host:port} for {@code app}, over RTMPE if {@code encrypted}. A
   * {@code chunkSize} over RTMP's 128 is announced to the server before connect; messages up to
   * {@code maxMessageSize} are taken.
   */
  ClientSession(NetClient netClient, String host, int port, String app, boolean encrypted, int chunkSize,
      int maxMessageSize, Role role) {
    this.netClient = netClient;
    this.app = app;
    this.encrypted = encrypted;
    this.tcUrl = (encrypted ? "rtmpe://" : "rtmp://") + host + ":" + port + "/" + app;
    this.chunkSize = chunkSize;
    this.role = role;
    this.decoder = new ChunkDecoder(maxMessageSize, maxMessageSize, 2 * maxMessageSize,
        ChunkDecoder.ALL_CHUNK_STREAMS);
  }

  /**
   * Connects to {@code host:port} and starts the handshake. The future fails when the connection
   * cannot be made, which the role does not hear of otherwise.
   */
  Future<Void> connect(String host, int port) {
    return netClient.connect(port, host)
        .onFailure(e -> {
          closed = true;
          netClient.close();
        })
        .onSuccess(this::start)
        .mapEmpty();
  }

  NetSocket socket() {
    return socket;
  }

  long bytesIn() {
    return bytesIn;
  }

  void command(int csid, int stream, Object... values) {
    send(new RtmpMessage(csid, MessageType.COMMAND_AMF0, stream, 0, Amf0.encodeAll(values)));
  }

  void send(RtmpMessage message) {
    if (closed) {
      return;
    }
    ByteBuf out = Unpooled.buffer(message.length() + message.length() / sendChunkSize + 32);
    encoder.encode(message, out);
    socket.write(Buffer.buffer(ByteBufUtil.getBytes(out)));
  }

  /** Closes the connection and tells the role, once. */
  void fail(String reason) {
    if (socket != null) {
      socket.close();
    }
    end(reason);
  }

  /** Closes on the client's own wish: the role hears nothing more. */
  Future<Void> close() {
    closed = true;
    return socket == null ? netClient.close() : socket.close().eventually(netClient::close);
  }

  private void start(NetSocket socket) {
    this.socket = socket;
    socket.handler(this::onData);
    socket.closeHandler(v -> end("connection closed"));
    socket.exceptionHandler(e -> end("socket error: " + e.getMessage()));
    if (encrypted) {
      encryptedHello = EncryptedHandshake.hello(EncryptedHandshake.threadRandom());
      hello = encryptedHello.c0c1();
    } else {
      hello = ClientHandshake.hello(true, ThreadLocalRandom.current());
    }
    socket.write(Buffer.buffer(hello));
  }

  private void end(String reason) {
    if (!closed) {
      closed = true;
      role.ended(reason);
      netClient.close();
    }
  }

  private void onData(Buffer data) {
    // Vert.x hands over a heap copy of its own, and the decoder copies what it keeps: no copy here,
    // which matters with thousands of players in one load generator.
    ByteBuf in = WireBuffers.unwrap(data);
    bytesIn = bytesIn + in.readableBytes();
    try {
      if (handshake != null && !answerHandshake(in)) {
        return;
      }
      decoder.decode(in, this::onMessage);
      if (window > 0 && bytesIn - bytesAcked >= window) {
        bytesAcked = bytesIn;
        send(new RtmpMessage(CSID_CONTROL, MessageType.ACKNOWLEDGEMENT, 0, 0,
            Unpooled.buffer(4).writeInt((int) bytesIn)));
      }
    } catch (ProtocolException e) {
      fail("protocol error: " + e.getMessage());
    }
  }

  /** Takes S0S1S2 from {@code in}; once it is whole, sends C2 and connect and returns true. */
  private boolean answerHandshake(ByteBuf in) throws ProtocolException {
    byte[] answer = handshake.read(in, Handshake.S0S1S2_SIZE);
    if (answer == null) {
      return false;
    }
    handshake = null;
    if (encrypted) {
      acknowledgeEncrypted(answer, in);
    } else {
      socket.write(Buffer.buffer(ClientHandshake.acknowledge(hello, answer)));
    }
    if (chunkSize > 128) {
      send(new RtmpMessage(CSID_CONTROL, MessageType.SET_CHUNK_SIZE, 0, 0, Unpooled.buffer(4).writeInt(chunkSize)));
      encoder.setChunkSize(chunkSize);
      sendChunkSize = chunkSize;
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("app", app);
    role.connectProperties(properties);
    properties.put("tcUrl", tcUrl);
    command(CSID_COMMAND, 0, "connect", 1.0, properties);
    return true;
  }

  /**
   * RTMPE: checks S0+S1+S2, puts the cipher layer on the socket and sends C2 in the clear; what
   * follows, connect first, leaves encrypted. A server sends nothing after S2 before our C2, so a read
   * with more is not RTMPE.
   */
  private void acknowledgeEncrypted(byte[] answer, ByteBuf in) throws ProtocolException {
    EncryptedHandshake.Done done = EncryptedHandshake.acknowledge(encryptedHello, answer,
        EncryptedHandshake.threadRandom());
    if (in.isReadable()) {
      throw new ProtocolException("RTMPE server sent " + in.readableBytes() + " bytes after S2 before our C2");
    }
    Rc4 receive = Rc4.of(done.keys().receive());
    Rc4 send = Rc4.of(done.keys().send());
    CipherLayer.install(socket, receive::apply, 0, send::apply, Handshake.PACKET_SIZE);
    socket.write(Buffer.buffer(done.c2()));
  }

  private void onMessage(RtmpMessage message) {
    ByteBuf payload = message.payload();
    try {
      switch (message.typeId()) {
        case MessageType.WINDOW_ACK_SIZE -> window = payload.getUnsignedInt(payload.readerIndex());
        case MessageType.USER_CONTROL -> {
          // A ping request (event 6) is answered with a ping response (7) carrying its timestamp.
          if (payload.readableBytes() >= 6 && payload.getUnsignedShort(payload.readerIndex()) == 6) {
            ByteBuf pong = Unpooled.buffer(6).writeShort(7).writeInt(payload.getInt(payload.readerIndex() + 2));
            send(new RtmpMessage(CSID_CONTROL, MessageType.USER_CONTROL, 0, 0, pong));
          }
        }
        case MessageType.AUDIO, MessageType.VIDEO, MessageType.DATA_AMF0 -> role.media(message);
        case MessageType.COMMAND_AMF0 -> onCommand(Amf0.decodeAll(payload));
        default -> {
        }
      }
    } catch (ProtocolException e) {
      fail("protocol error: " + e.getMessage());
    }
  }

  private void onCommand(List<Object> values) {
    String command = values.isEmpty() ? "" : String.valueOf(values.get(0));
    double tx = values.size() > 1 && values.get(1) instanceof Double d ? d : 0;
    if (command.equals("_result") && tx == 1.0) {
      command(CSID_COMMAND, 0, "createStream", 2.0, null);
    } else if (command.equals("_result") && tx == 2.0 && values.size() > 3 && values.get(3) instanceof Double id) {
      role.streamCreated(id.intValue());
    } else if (command.equals("_error")) {
      fail("server answered _error to transaction " + tx);
    } else if (command.equals("onStatus") && values.size() > 3 && values.get(3) instanceof Map<?, ?> info) {
      role.status(info);
    }
  }
}
