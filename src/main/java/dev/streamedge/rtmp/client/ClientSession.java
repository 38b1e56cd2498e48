package dev.streamedge.rtmp.client;

import dev.streamedge.media.MediaKind;
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
import dev.streamedge.rtmp.message.Command;
import dev.streamedge.rtmp.message.MessageReader;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import dev.streamedge.rtmp.message.UserControl;
import dev.streamedge.rtmp.message.WindowAckSize;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * What a client's RTMP connection does whatever it then plays or publishes: the handshake, connect
 * and createStream, acknowledgements after each window of bytes (RTMP 1.0 §5.4.3), answers to pings
 * (§7.1.7), and the end of the connection. The client's {@link Role} does the rest. Used on the
 * event loop of the Vert.x context that connected.
 *
 * <p>The pieces are the server's: {@link HandshakeReader} for S0+S1+S2, the {@link ChunkDecoder}, and
 * the {@link MessageReader} that makes the typed messages (aggregates split, AMF3 markers skipped). Its
 * bytes travel over a {@link ClientTransport}: a socket, TLS or the RTMPT tunnel, which the session
 * cannot tell apart. Over RTMPE and RTMPTE the handshake is the encrypted one and the transport puts
 * RC4 on everything after C2, as the server does.
 */
final class ClientSession implements ClientTransport.Listener, MessageReader.Handler {

  /** The part of the client that plays or publishes. */
  interface Role {
    /** What the connect command carries besides {@code app} and {@code tcUrl}. */
    void connectProperties(Map<String, Object> properties);

    /**
     * The server answered connect: the commands to send before createStream, as {@code {name, stream
     * name}} pairs, each sent with the next transaction id. Their answers, errors included, change nothing.
     */
    default List<String[]> beforeCreateStream() {
      return List.of();
    }

    /** The server created message stream {@code streamId}: play or publish on it. */
    void streamCreated(int streamId);

    /** An audio (8), video (9) or data (18, after any AMF3 format byte) message. */
    default void media(RtmpMessage message) {
    }

    /** An onStatus with its info object. */
    void status(Map<?, ?> info);

    /** The connection ended, for {@code reason}, without the client closing it. */
    void ended(String reason);
  }

  static final int CSID_CONTROL = 2;
  static final int CSID_COMMAND = 3;

  private final RtmpUrl url;
  private final ClientTransport transport;
  private final int chunkSize;
  private final Role role;
  private final ChunkEncoder encoder = new ChunkEncoder(128);
  private final ChunkDecoder decoder;
  /** Held, not made per read: a method reference is an allocation each time. */
  private final Consumer<RtmpMessage> onMessage = this::onMessage;
  private byte[] hello;
  /** The RTMPE hello, with the private key behind it; null over the unencrypted variants. */
  private EncryptedHandshake.Hello encryptedHello;
  /** Reads S0+S1+S2; null after them. */
  private HandshakeReader handshake = new HandshakeReader(Handshake.S0S1S2_SIZE);
  private boolean connectAnswered;
  private double createStreamTx = 2.0;
  /** Volatile: the load generator reads it from another thread while the event loop counts. */
  private volatile long bytesIn;
  private long bytesOut;
  private long bytesAcked;
  private long window;
  private int sendChunkSize = 128;
  private boolean closed;

  /**
   * A session with the server {@code url} names, over its variant. A {@code chunkSize} over RTMP's 128
   * is announced to the server before connect; messages up to {@code maxMessageSize} are taken.
   */
  ClientSession(Vertx vertx, RtmpUrl url, RtmpClientOptions options, int chunkSize, int maxMessageSize, Role role) {
    this.url = url;
    this.transport = ClientTransport.of(vertx, url, options);
    this.chunkSize = chunkSize;
    this.role = role;
    this.decoder = new ChunkDecoder(maxMessageSize, maxMessageSize, 2 * maxMessageSize,
        ChunkDecoder.ALL_CHUNK_STREAMS);
    if (options.transientPayloads()) {
      decoder.reusePayloads();
    }
  }

  /**
   * Connects and starts the handshake. The future fails when the connection (or the tunnel's session)
   * cannot be made, which the role does not hear of otherwise.
   */
  Future<Void> connect() {
    return transport.open(this)
        .onFailure(e -> closed = true)
        .onSuccess(v -> start());
  }

  ClientTransport transport() {
    return transport;
  }

  long bytesIn() {
    return bytesIn;
  }

  /** Bytes written after the handshake (chunk headers included), counted as they are handed to the transport. */
  long bytesOut() {
    return bytesOut;
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
    bytesOut += out.readableBytes();
    // The chunks as they are, no copy: nothing changes them once written.
    transport.write(WireBuffers.wrap(out));
  }

  /** Closes the connection and tells the role, once. */
  void fail(String reason) {
    transport.close();
    end(reason);
  }

  /** Closes on the client's own wish: the role hears nothing more. */
  Future<Void> close() {
    closed = true;
    return transport.close();
  }

  private void start() {
    if (url.variant().encrypted()) {
      encryptedHello = EncryptedHandshake.hello(EncryptedHandshake.threadRandom());
      hello = encryptedHello.c0c1();
    } else {
      hello = ClientHandshake.hello(true, ThreadLocalRandom.current());
    }
    transport.write(Buffer.buffer(hello));
  }

  private void end(String reason) {
    if (!closed) {
      closed = true;
      role.ended(reason);
    }
  }

  // ---- what the transport tells the session ----

  @Override
  public void closed(String reason) {
    // How far the session got says what the server refused: nginx-rtmp, for one, closes the connection
    // without an answer when the connect names an application it does not have.
    end(handshake != null ? reason + " during the handshake"
        : !connectAnswered ? reason + " before the server answered connect to app '" + url.app() + "'"
        : reason);
  }

  @Override
  public void data(Buffer data) {
    if (closed) {
      return;
    }
    // Vert.x hands over a heap copy of its own, and the decoder copies what it keeps: no copy here,
    // which matters with thousands of players in one load generator.
    ByteBuf in = WireBuffers.unwrap(data);
    bytesIn = bytesIn + in.readableBytes();
    try {
      if (handshake != null && !answerHandshake(in)) {
        return;
      }
      decoder.decode(in, onMessage);
      if (window > 0 && bytesIn - bytesAcked >= window && !closed) {
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
    if (encryptedHello != null) {
      acknowledgeEncrypted(answer, in);
    } else {
      transport.write(Buffer.buffer(ClientHandshake.acknowledge(hello, answer)));
    }
    if (chunkSize > 128) {
      send(new RtmpMessage(CSID_CONTROL, MessageType.SET_CHUNK_SIZE, 0, 0, Unpooled.buffer(4).writeInt(chunkSize)));
      encoder.setChunkSize(chunkSize);
      sendChunkSize = chunkSize;
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("app", url.app());
    role.connectProperties(properties);
    properties.put("tcUrl", url.tcUrl());
    command(CSID_COMMAND, 0, "connect", 1.0, properties);
    return true;
  }

  /**
   * RTMPE: checks S0+S1+S2, puts RC4 on the transport and sends C2 in the clear; what follows, connect
   * first, leaves encrypted. A server sends nothing after S2 before our C2, so a read with more is not
   * RTMPE.
   */
  private void acknowledgeEncrypted(byte[] answer, ByteBuf in) throws ProtocolException {
    EncryptedHandshake.Done done = EncryptedHandshake.acknowledge(encryptedHello, answer,
        EncryptedHandshake.threadRandom());
    if (in.isReadable()) {
      throw new ProtocolException("RTMPE server sent " + in.readableBytes() + " bytes after S2 before our C2");
    }
    Rc4 receive = Rc4.of(done.keys().receive());
    Rc4 send = Rc4.of(done.keys().send());
    transport.encrypt(receive::apply, 0, send::apply, Handshake.PACKET_SIZE);
    transport.write(Buffer.buffer(done.c2()));
  }

  private void onMessage(RtmpMessage message) {
    if (closed) {
      return;
    }
    try {
      MessageReader.read(message, this);
    } catch (ProtocolException e) {
      fail("protocol error: " + e.getMessage());
    }
  }

  // ---- what the message reader finds ----

  @Override
  public void windowAckSize(WindowAckSize message) {
    window = message.size();
  }

  @Override
  public void userControl(UserControl message) {
    if (message.event() == UserControl.PING_REQUEST) {
      ByteBuf pong = Unpooled.buffer(6).writeShort(UserControl.PING_RESPONSE).writeInt((int) message.value());
      send(new RtmpMessage(CSID_CONTROL, MessageType.USER_CONTROL, 0, 0, pong));
    }
  }

  @Override
  public void media(RtmpMessage message, MediaKind kind) {
    role.media(message);
  }

  @Override
  public void data(RtmpMessage message, ByteBuf payload) {
    role.media(new RtmpMessage(message.chunkStreamId(), MessageType.DATA_AMF0, message.messageStreamId(),
        message.timestamp(), payload));
  }

  @Override
  public void command(Command command) {
    String name = command.name();
    double tx = command.transaction();
    if (name.equals("_result") && tx == 1.0) {
      connectAnswered = true;
      double next = 2.0;
      for (String[] before : role.beforeCreateStream()) {
        command(CSID_COMMAND, 0, before[0], next++, null, before[1]);
      }
      createStreamTx = next;
      command(CSID_COMMAND, 0, "createStream", createStreamTx, null);
    } else if (name.equals("_result") && tx == createStreamTx && !command.args().isEmpty()
        && command.args().get(0) instanceof Double id) {
      role.streamCreated(id.intValue());
    } else if (name.equals("_error") && (tx == 1.0 || tx == createStreamTx)) {
      // An _error to releaseStream or FCPublish (a server that has no such stream to release) is no
      // refusal of the session: ffmpeg, too, goes on past it.
      fail("server answered _error to transaction " + tx);
    } else if (name.equals("onStatus") && !command.args().isEmpty() && command.args().get(0) instanceof Map<?, ?> info) {
      role.status(info);
    }
  }
}
