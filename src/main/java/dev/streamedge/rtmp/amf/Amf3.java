package dev.streamedge.rtmp.amf;

import dev.streamedge.rtmp.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * AMF3 decoding (Adobe AMF3 spec 2008, §3), as found behind the AMF0 AVM+ switch and in AMF3 command
 * and data messages.
 *
 * <p>Values map to Java as: undefined and null → {@code null}; false/true → {@link Boolean}; integer
 * and double → {@link Double} (the same type AMF0 numbers have); string, XML and XMLDocument →
 * {@link String}; date → {@link java.time.Instant}; array → {@link java.util.List} when it has only
 * a dense part, otherwise a {@link java.util.LinkedHashMap} of the associative entries followed by
 * the dense ones under "0", "1", …; object → {@link java.util.LinkedHashMap} of sealed then dynamic
 * members (class name dropped); byte array → {@code byte[]}. Externalizable objects, vectors and
 * dictionaries are rejected.
 */
public final class Amf3 {

  private Amf3() {}

  /**
   * Decodes one AMF3 value at the reader index with fresh reference tables and advances past it. On
   * failure the reader index is left where it was.
   */
  public static Object decode(ByteBuf in) throws ProtocolException {
    int start = in.readerIndex();
    try {
      return new Amf3Decoder(in, new DecodeLimits(in.readableBytes())).value();
    } catch (ProtocolException e) {
      in.readerIndex(start);
      throw e;
    }
  }
}
