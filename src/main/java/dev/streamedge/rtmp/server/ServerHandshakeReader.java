package dev.streamedge.rtmp.server;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.handshake.Handshake;
import dev.streamedge.rtmp.handshake.HandshakeReader;
import dev.streamedge.rtmp.handshake.ServerHandshake;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The server's side of a connection's handshake (RTMP 1.0 §5.2) on its transport: reads C0+C1, answers
 * S0+S1+S2 (plain, digest, or RTMPE's through {@link RtmpeHandshake}), then reads C2. Used until it
 * returns true; the bytes after C2 are the chunk stream.
 */
final class ServerHandshakeReader {

  private final HandshakeReader packets = new HandshakeReader(Handshake.C0C1_SIZE);
  private boolean answered;

  /**
   * Reads handshake bytes from {@code in}, answering C0+C1 through {@code writer}.
   *
   * @param rtmpe whether the connection asked for RTMPE (RTMPTE in a tunnel) and the transport serves it
   * @param bytesIn every byte the connection has read, {@code in} included
   * @return true once C2 has been read
   */
  boolean read(ByteBuf in, boolean rtmpe, RtmpTransport transport, ConnectionWriter writer, long bytesIn)
      throws ProtocolException {
    if (!answered) {
      if (packets.atPacketStart() && in.isReadable() && !rtmpe) {
        // C0 alone tells whether the peer speaks RTMP: an HTTP request or an RTMPE we do not serve is
        // refused at its first byte, not after 1537 bytes that a short request never sends.
        ServerHandshake.checkVersion(in.getUnsignedByte(in.readerIndex()));
      }
      byte[] c0c1 = packets.read(in, Handshake.C0C1_SIZE);
      if (c0c1 == null) {
        return false;
      }
      writer.send(rtmpe ? RtmpeHandshake.answer(transport, c0c1, bytesIn)
          : Buffer.buffer(ServerHandshake.respond(c0c1, ThreadLocalRandom.current())));
      answered = true;
      if (!in.isReadable()) {
        return false;
      }
    }
    // C2 should echo S1; many clients send anything, and nothing depends on it (RTMP 1.0 §5.2.4).
    return packets.read(in, Handshake.PACKET_SIZE) != null;
  }
}
