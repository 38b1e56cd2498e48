package dev.streamedge.testing;

import dev.streamedge.rtmp.amf.Amf0;
import dev.streamedge.rtmp.chunk.ChunkEncoder;
import dev.streamedge.rtmp.handshake.ClientHandshake;
import dev.streamedge.rtmp.handshake.Handshake;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Random;

/**
 * A viewer that asks to play and then never reads a byte, with a tiny receive window: the worst
 * client a server meets. Blocking I/O on the test thread only.
 */
public final class StalledPlayer implements AutoCloseable {

  private final Socket socket;

  private StalledPlayer(Socket socket) {
    this.socket = socket;
  }

  public static StalledPlayer play(int port, String key) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(5000);
    byte[] hello = ClientHandshake.hello(false, new Random(1));
    socket.getOutputStream().write(hello);
    byte[] answer = new byte[Handshake.S0S1S2_SIZE];
    new DataInputStream(socket.getInputStream()).readFully(answer);
    ByteBuf out = Unpooled.buffer();
    out.writeBytes(ClientHandshake.acknowledge(hello, answer));
    // The server answers in order, and the first stream it creates on a connection is stream 1.
    ChunkEncoder encoder = new ChunkEncoder(128);
    encoder.encode(command(3, 0, "connect", 1.0, Map.of("app", "live", "tcUrl", "rtmp://127.0.0.1/live")), out);
    encoder.encode(command(3, 0, "createStream", 2.0, null), out);
    encoder.encode(command(8, 1, "play", 0.0, null, key, -2.0), out);
    socket.getOutputStream().write(ByteBufUtil.getBytes(out));
    return new StalledPlayer(socket);
  }

  private static RtmpMessage command(int csid, int streamId, Object... values) {
    return new RtmpMessage(csid, MessageType.COMMAND_AMF0, streamId, 0, Amf0.encodeAll(values));
  }

  @Override
  public void close() throws Exception {
    socket.close();
  }
}
