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
import io.netty.buffer.ByteBufUtil;
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
import java.util.function.Consumer;

/**
 * A non-blocking RTMP publisher: connect, createStream, publish, then audio, video and data messages
 * as the caller sends them (the caller paces them). The counterpart of {@link RtmpPlayClient}, for the
 * load generator. Call its methods on the event loop of the Vert.x context that created it.
 */
public final class RtmpPublishClient {

  private static final int CSID_COMMAND = 3;
  private static final int CSID_DATA = 4;
  private static final int CSID_AUDIO = 5;
  private static final int CSID_VIDEO = 6;
  /** Large chunks cut the per-chunk header cost; nginx-rtmp and ffmpeg use 4096 too. */
  private static final int CHUNK_SIZE = 4096;
  private static final int MAX_MESSAGE_SIZE = 1024 * 1024;
  private static final String PUBLISH_START = "NetStream.Publish.Start";

  private final NetClient netClient;
  private final String app;
  private final String name;
  private final String tcUrl;
  private final Consumer<String> onClose;
  private final ChunkEncoder encoder = new ChunkEncoder(128);
  private final ChunkDecoder decoder = new ChunkDecoder(MAX_MESSAGE_SIZE, MAX_MESSAGE_SIZE, 2 * MAX_MESSAGE_SIZE,
      ChunkDecoder.ALL_CHUNK_STREAMS);
  private final Promise<RtmpPublishClient> publishing = Promise.promise();
  private NetSocket socket;
  private byte[] hello;
  private ByteBuf handshake = Unpooled.buffer(Handshake.S0S1S2_SIZE);
  private int streamId;
  private long bytesIn;
  private long bytesAcked;
  private long window;
  private boolean closed;

  private RtmpPublishClient(NetClient netClient, String host, int port, String app, String name,
      Consumer<String> onClose) {
    this.netClient = netClient;
    this.app = app;
    this.name = name;
    this.tcUrl = "rtmp://" + host + ":" + port + "/" + app;
    this.onClose = onClose;
  }

  /**
   * Connects and publishes {@code rtmp://host:port/app/name}; completes on NetStream.Publish.Start and
   * fails on any other answer. {@code onClose} hears of a connection lost after that, with the reason.
   */
  public static Future<RtmpPublishClient> publish(Vertx vertx, String host, int port, String app, String name,
      Consumer<String> onClose) {
    NetClient netClient = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    RtmpPublishClient client = new RtmpPublishClient(netClient, host, port, app, name, onClose);
    netClient.connect(port, host).onComplete(connected -> {
      if (connected.failed()) {
        client.publishing.tryFail(connected.cause());
        netClient.close();
      } else {
        client.start(connected.result());
      }
    });
    return client.publishing.future();
  }

  /** Sends {@code @setDataFrame} with the AMF0 values of an FLV script tag (onMetaData and its array). */
  public void sendMetadata(long timestamp, ByteBuf scriptBody) {
    ByteBuf payload = Unpooled.wrappedBuffer(Amf0.encodeAll("@setDataFrame"), scriptBody.retainedSlice());
    send(new RtmpMessage(CSID_DATA, MessageType.DATA_AMF0, streamId, timestamp, payload));
  }

  public void sendAudio(long timestamp, ByteBuf body) {
    send(new RtmpMessage(CSID_AUDIO, MessageType.AUDIO, streamId, timestamp, body));
  }

  public void sendVideo(long timestamp, ByteBuf body) {
    send(new RtmpMessage(CSID_VIDEO, MessageType.VIDEO, streamId, timestamp, body));
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
    write(Buffer.buffer(hello));
  }

  private void finish(String reason) {
    publishing.tryFail(reason);
    if (!closed) {
      closed = true;
      onClose.accept(reason);
      netClient.close();
    }
  }

  private void fail(String reason) {
    socket.close();
    finish(reason);
  }

  private void onData(Buffer data) {
    ByteBuf in = WireBuffers.unwrap(data);
    bytesIn += in.readableBytes();
    try {
      if (handshake != null) {
        handshake.writeBytes(in, Math.min(in.readableBytes(), Handshake.S0S1S2_SIZE - handshake.readableBytes()));
        if (handshake.readableBytes() < Handshake.S0S1S2_SIZE) {
          return;
        }
        byte[] answer = new byte[Handshake.S0S1S2_SIZE];
        handshake.readBytes(answer);
        handshake = null;
        write(Buffer.buffer(ClientHandshake.acknowledge(hello, answer)));
        send(new RtmpMessage(2, MessageType.SET_CHUNK_SIZE, 0, 0, Unpooled.buffer(4).writeInt(CHUNK_SIZE)));
        encoder.setChunkSize(CHUNK_SIZE);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("app", app);
        properties.put("type", "nonprivate");
        properties.put("flashVer", "FMLE/3.0 (compatible; streamedge-load)");
        properties.put("tcUrl", tcUrl);
        command(CSID_COMMAND, 0, "connect", 1.0, properties);
      }
      decoder.decode(in, this::onMessage);
      if (window > 0 && bytesIn - bytesAcked >= window) {
        bytesAcked = bytesIn;
        send(new RtmpMessage(2, MessageType.ACKNOWLEDGEMENT, 0, 0, Unpooled.buffer(4).writeInt((int) bytesIn)));
      }
    } catch (ProtocolException e) {
      fail("protocol error: " + e.getMessage());
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
      streamId = id.intValue();
      command(CSID_DATA, streamId, "publish", 0.0, null, name, "live");
    } else if (command.equals("_error")) {
      fail("server answered _error to transaction " + tx);
    } else if (command.equals("onStatus") && values.size() > 3 && values.get(3) instanceof Map<?, ?> info) {
      String code = String.valueOf(info.get("code"));
      if (code.equals(PUBLISH_START)) {
        publishing.tryComplete(this);
      } else if ("error".equals(info.get("level")) && !publishing.future().isComplete()) {
        fail("publish refused: " + code);
      }
    }
  }

  private void command(int csid, int stream, Object... values) {
    send(new RtmpMessage(csid, MessageType.COMMAND_AMF0, stream, 0, Amf0.encodeAll(values)));
  }

  private void send(RtmpMessage message) {
    ByteBuf out = Unpooled.buffer(message.length() + message.length() / CHUNK_SIZE + 32);
    encoder.encode(message, out);
    write(Buffer.buffer(ByteBufUtil.getBytes(out)));
  }

  private void write(Buffer buffer) {
    if (!closed) {
      socket.write(buffer);
    }
  }
}
