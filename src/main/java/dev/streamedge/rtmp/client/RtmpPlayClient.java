package dev.streamedge.rtmp.client;

import dev.streamedge.media.WireBuffers;
import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.amf.Amf0;
import dev.streamedge.rtmp.chunk.ChunkDecoder;
import dev.streamedge.rtmp.chunk.ChunkEncoder;
import dev.streamedge.rtmp.handshake.ClientHandshake;
import dev.streamedge.rtmp.handshake.Handshake;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A non-blocking RTMP player: connect, createStream, play, then every media and status message to a
 * {@link Listener}. Unlike ffmpeg it stays on the connection after NetStream.Play.UnpublishNotify, as
 * Flash-era players and edge pullers do, so it can watch a publisher leave and come back. Used by the
 * tests and by the load generator.
 */
public final class RtmpPlayClient {

  /** Receives what the server sends, on the client's event loop. */
  public interface Listener {
    void status(String code);

    /** An audio (8), video (9) or data (18) message of the played stream. */
    void media(int typeId, long timestamp, ByteBuf payload);

    void closed(String reason);
  }

  private static final int CSID_COMMAND = 3;
  private static final int CSID_STREAM = 8;
  private static final int MAX_MESSAGE_SIZE = 16 * 1024 * 1024 - 1;

  private final NetClient netClient;
  private final String app;
  private final String name;
  private final String tcUrl;
  private final Listener listener;
  private final ChunkEncoder encoder = new ChunkEncoder(128);
  private final ChunkDecoder decoder = new ChunkDecoder(MAX_MESSAGE_SIZE, MAX_MESSAGE_SIZE, 2 * MAX_MESSAGE_SIZE,
      ChunkDecoder.ALL_CHUNK_STREAMS);
  private final Promise<RtmpPlayClient> playing = Promise.promise();
  private NetSocket socket;
  private byte[] hello;
  private ByteBuf handshake = Unpooled.buffer(Handshake.S0S1S2_SIZE);
  private int streamId;
  /** Volatile: the load generator reads it from another thread while the event loop counts. */
  private volatile long bytesIn;
  private long bytesAcked;
  private long window;
  private boolean closed;

  private RtmpPlayClient(NetClient netClient, String host, int port, String app, String name, Listener listener) {
    this.netClient = netClient;
    this.app = app;
    this.name = name;
    this.tcUrl = "rtmp://" + host + ":" + port + "/" + app;
    this.listener = listener;
  }

  /** Connects and plays {@code rtmp://host:port/app/name}; completes once the play command is sent. */
  public static Future<RtmpPlayClient> play(Vertx vertx, String host, int port, String app, String name,
      Listener listener) {
    return play(vertx, new NetClientOptions().setTcpNoDelay(true), host, port, app, name, listener);
  }

  /** As {@link #play(Vertx, String, int, String, String, Listener)} with socket options of its own. */
  public static Future<RtmpPlayClient> play(Vertx vertx, NetClientOptions options, String host, int port,
      String app, String name, Listener listener) {
    NetClient netClient = vertx.createNetClient(options);
    RtmpPlayClient client = new RtmpPlayClient(netClient, host, port, app, name, listener);
    netClient.connect(port, host).onComplete(connected -> {
      if (connected.failed()) {
        client.playing.tryFail(connected.cause());
      } else {
        client.start(connected.result());
      }
    });
    return client.playing.future();
  }

  /** Stops reading from the socket, as a stalled viewer would. */
  public void pauseReading() {
    socket.pause();
  }

  public void resumeReading() {
    socket.resume();
  }

  public long bytesReceived() {
    return bytesIn;
  }

  public Future<Void> close() {
    closed = true;
    return socket == null ? netClient.close() : socket.close().eventually(netClient::close);
  }

  private void start(NetSocket socket) {
    this.socket = socket;
    socket.handler(this::onData);
    socket.closeHandler(v -> finish("connection closed"));
    socket.exceptionHandler(e -> finish("socket error: " + e.getMessage()));
    hello = ClientHandshake.hello(true, ThreadLocalRandom.current());
    socket.write(Buffer.buffer(hello));
  }

  private void finish(String reason) {
    playing.tryFail(reason);
    if (!closed) {
      closed = true;
      listener.closed(reason);
      netClient.close();
    }
  }

  private void onData(Buffer data) {
    // Vert.x hands over a heap copy of its own, and the decoder copies what it keeps: no copy here,
    // which matters with thousands of players in one load generator.
    ByteBuf in = WireBuffers.unwrap(data);
    bytesIn = bytesIn + in.readableBytes();
    try {
      if (handshake != null) {
        handshake.writeBytes(in, Math.min(in.readableBytes(), Handshake.S0S1S2_SIZE - handshake.readableBytes()));
        if (handshake.readableBytes() < Handshake.S0S1S2_SIZE) {
          return;
        }
        byte[] answer = new byte[Handshake.S0S1S2_SIZE];
        handshake.readBytes(answer);
        handshake = null;
        socket.write(Buffer.buffer(ClientHandshake.acknowledge(hello, answer)));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("app", app);
        properties.put("flashVer", "LNX 9,0,124,2");
        properties.put("tcUrl", tcUrl);
        properties.put("fpad", false);
        properties.put("capabilities", 15.0);
        properties.put("audioCodecs", 4071.0);
        properties.put("videoCodecs", 252.0);
        properties.put("videoFunction", 1.0);
        command(CSID_COMMAND, 0, "connect", 1.0, properties);
      }
      decoder.decode(in, this::onMessage);
      if (window > 0 && bytesIn - bytesAcked >= window) {
        bytesAcked = bytesIn;
        send(new RtmpMessage(2, MessageType.ACKNOWLEDGEMENT, 0, 0, Unpooled.buffer(4).writeInt((int) bytesIn)));
      }
    } catch (ProtocolException e) {
      socket.close();
      finish("protocol error: " + e.getMessage());
    }
  }

  private void onMessage(RtmpMessage message) {
    ByteBuf payload = message.payload();
    try {
      switch (message.typeId()) {
        case MessageType.WINDOW_ACK_SIZE -> window = payload.getUnsignedInt(payload.readerIndex());
        case MessageType.USER_CONTROL -> {
          if (payload.readableBytes() >= 6 && payload.getUnsignedShort(payload.readerIndex()) == 6) {
            ByteBuf pong = Unpooled.buffer(6).writeShort(7).writeInt(payload.getInt(payload.readerIndex() + 2));
            send(new RtmpMessage(2, MessageType.USER_CONTROL, 0, 0, pong));
          }
        }
        case MessageType.AUDIO, MessageType.VIDEO, MessageType.DATA_AMF0 ->
            listener.media(message.typeId(), message.timestamp(), payload);
        case MessageType.COMMAND_AMF0 -> onCommand(Amf0.decodeAll(payload));
        default -> {
        }
      }
    } catch (ProtocolException e) {
      socket.close();
      finish("protocol error: " + e.getMessage());
    }
  }

  private void onCommand(List<Object> values) {
    String command = values.isEmpty() ? "" : String.valueOf(values.get(0));
    double tx = values.size() > 1 && values.get(1) instanceof Double d ? d : 0;
    if (command.equals("_result") && tx == 1.0) {
      command(CSID_COMMAND, 0, "createStream", 2.0, null);
    } else if (command.equals("_result") && tx == 2.0 && values.size() > 3 && values.get(3) instanceof Double id) {
      streamId = id.intValue();
      command(CSID_STREAM, streamId, "play", 0.0, null, name, -2.0);
      playing.tryComplete(this);
    } else if (command.equals("_error")) {
      socket.close();
      finish("server answered _error to transaction " + tx);
    } else if (command.equals("onStatus") && values.size() > 3 && values.get(3) instanceof Map<?, ?> info) {
      listener.status(String.valueOf(info.get("code")));
    }
  }

  private void command(int csid, int stream, Object... values) {
    send(new RtmpMessage(csid, MessageType.COMMAND_AMF0, stream, 0, Amf0.encodeAll(values)));
  }

  private void send(RtmpMessage message) {
    ByteBuf out = Unpooled.buffer();
    encoder.encode(message, out);
    socket.write(Buffer.buffer(io.netty.buffer.ByteBufUtil.getBytes(out)));
  }
}
