package dev.streamedge.rtp.receive;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;

/**
 * MP4A-LATM over RTP (RFC 6416 §6.1, as RFC 3016 §4 has it) with {@code cpresent=0}, GStreamer's {@code
 * rtpmp4apay}: a packet's payload, or the payloads of the packets of one timestamp up to the marker bit when an
 * AudioMuxElement is fragmented, holds {@link LatmConfig#framesPerElement()} frames, each after its
 * PayloadLengthInfo (bytes of 255 then one below, summed: ISO/IEC 14496-3 §1.7.3.1). Frame i of an element gets the
 * packet's timestamp plus i frames. Malformed elements are counted and skipped, never thrown. Not thread-safe.
 */
public final class LatmDepacketizer {

  private final int framesPerElement;
  private final int samplesPerFrame;
  private final int maxFrameSize;
  private final Consumer<AacFrame> out;
  private final ByteBuf element = Unpooled.buffer();
  private long timestamp = -1;
  private int nextSequence = -1;
  private boolean broken;
  private long lost;
  private long oversized;
  private long malformed;

  public LatmDepacketizer(LatmConfig config, int samplesPerFrame, int maxFrameSize, Consumer<AacFrame> out) {
    this.framesPerElement = config.framesPerElement();
    this.samplesPerFrame = samplesPerFrame;
    this.maxFrameSize = maxFrameSize;
    this.out = out;
  }

  public void packet(RtpPacket packet) {
    boolean gap = nextSequence >= 0 && packet.sequence() != nextSequence;
    nextSequence = (packet.sequence() + 1) & 0xFFFF;
    if (element.isReadable() && (gap || packet.timestamp() != timestamp)) {
      lost++; // a fragmented element whose end did not come
      element.clear();
    }
    if (!element.isReadable()) {
      broken = false;
    }
    timestamp = packet.timestamp();
    ByteBuf payload = packet.payload();
    if (element.readableBytes() + payload.readableBytes() > (long) maxFrameSize * framesPerElement) {
      oversized++;
      element.clear();
      broken = true;
    }
    if (!broken) {
      element.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
    }
    if (packet.marker()) {
      if (!broken && element.isReadable()) {
        read();
      }
      element.clear();
      broken = false;
    }
  }

  /** Splits a whole AudioMuxElement into its frames. */
  private void read() {
    for (int i = 0; i < framesPerElement; i++) {
      int length = 0;
      int b;
      do {
        if (!element.isReadable()) {
          malformed++;
          return;
        }
        b = element.readUnsignedByte();
        length += b;
      } while (b == 255);
      if (length == 0 || length > element.readableBytes() || length > maxFrameSize) {
        malformed++;
        return;
      }
      ByteBuf raw = Unpooled.buffer(length);
      element.readBytes(raw, length);
      out.accept(new AacFrame((timestamp + (long) i * samplesPerFrame) & 0xFFFF_FFFFL, raw));
    }
  }

  public long lost() {
    return lost;
  }

  public long oversized() {
    return oversized;
  }

  public long malformed() {
    return malformed;
  }
}
