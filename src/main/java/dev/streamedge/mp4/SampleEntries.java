package dev.streamedge.mp4;

import dev.streamedge.mp4.Boxes.Box;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The codec configuration in a track's first sample description (ISO/IEC 14496-12 §8.5.2 stsd): an
 * {@code avc1} entry's {@code avcC} payload (ISO/IEC 14496-15 §5.3.3), or an {@code mp4a} entry's
 * AudioSpecificConfig from its {@code esds} (ISO/IEC 14496-14 §5.6, descriptors of ISO/IEC 14496-1 §7.2.6).
 * Another codec is no error, it is a track this reader leaves out: null. A box that contradicts its own
 * lengths is.
 */
final class SampleEntries {

  /** SampleEntry's 8 bytes and VisualSampleEntry's 70 (§12.1.3), before the child boxes. */
  private static final int VISUAL_ENTRY = 78;
  /** SampleEntry's 8 bytes and AudioSampleEntry's 20 (§12.2.3). */
  private static final int AUDIO_ENTRY = 28;
  private static final int ES_DESCRIPTOR = 0x03;
  private static final int DECODER_CONFIG = 0x04;
  private static final int DECODER_SPECIFIC_INFO = 0x05;

  private SampleEntries() {
  }

  /** The avcC payload of an {@code avc1} first entry, or null for another codec. */
  static byte[] avc(ByteBuffer stsd) throws Mp4FormatException {
    Box entry = first(stsd);
    if (entry == null || entry.type() != Boxes.type("avc1")) {
      return null; // avc3 (parameter sets in band) would need them found in the samples: not read
    }
    Boxes.need(entry.body(), VISUAL_ENTRY, "avc1");
    ByteBuffer avcC = null;
    for (Box box : Boxes.children(entry.body(), VISUAL_ENTRY, "avc1")) {
      if (box.type() == Boxes.type("avcC")) {
        avcC = box.body();
        break;
      }
    }
    // configurationVersion 1, three profile and level bytes, lengthSizeMinusOne, numOfSequenceParameterSets.
    if (avcC == null || avcC.limit() < 7 || avcC.get(0) != 1) {
      throw new Mp4FormatException("avc1 sample entry without a version 1 avcC");
    }
    return bytes(avcC);
  }

  /** The AudioSpecificConfig of an AAC {@code mp4a} first entry, or null for another codec. */
  static byte[] aac(ByteBuffer stsd) throws Mp4FormatException {
    Box entry = first(stsd);
    if (entry == null || entry.type() != Boxes.type("mp4a")) {
      return null;
    }
    ByteBuffer body = entry.body();
    Boxes.need(body, AUDIO_ENTRY, "mp4a");
    // QuickTime's sound description versions 1 and 2 (in .mov and some .m4a) add 16 and 36 bytes.
    int version = body.getShort(8) & 0xFFFF;
    int children = AUDIO_ENTRY + (version == 1 ? 16 : version == 2 ? 36 : 0);
    Boxes.need(body, children, "mp4a");
    ByteBuffer esds = null;
    for (Box box : Boxes.children(body, children, "mp4a")) {
      if (box.type() == Boxes.type("esds")) {
        esds = box.body();
      } else if (box.type() == Boxes.type("wave") && esds == null) {
        esds = Boxes.child(box.body(), "esds", "wave"); // QuickTime wraps it
      }
    }
    if (esds == null) {
      throw new Mp4FormatException("mp4a sample entry without an esds");
    }
    return audioSpecificConfig(esds);
  }

  private static Box first(ByteBuffer stsd) throws Mp4FormatException {
    Boxes.need(stsd, 8, "stsd");
    if (Boxes.u32(stsd, 4) == 0) {
      throw new Mp4FormatException("stsd without a sample entry");
    }
    List<Box> entries = Boxes.children(stsd, 8, "stsd");
    return entries.isEmpty() ? null : entries.get(0);
  }

  /**
   * esds (a full box): an ES_Descriptor holding a DecoderConfigDescriptor, whose objectTypeIndication
   * names MPEG-4 Audio (0x40) or MPEG-2 AAC (0x66 to 0x68), holding a DecoderSpecificInfo: the
   * AudioSpecificConfig. Null for another object type (MP3 is 0x6B) or without that config.
   */
  private static byte[] audioSpecificConfig(ByteBuffer esds) throws Mp4FormatException {
    Boxes.need(esds, 4, "esds");
    ByteBuffer in = esds.slice(4, esds.limit() - 4);
    ByteBuffer es = descriptor(in, ES_DESCRIPTOR);
    if (es == null) {
      throw new Mp4FormatException("esds without an ES_Descriptor");
    }
    need(es, 3);
    es.getShort(); // ES_ID
    int flags = es.get() & 0xFF;
    if ((flags & 0x80) != 0) { // streamDependenceFlag: dependsOn_ES_ID
      skip(es, 2);
    }
    if ((flags & 0x40) != 0) { // URL_Flag: URLlength, URLstring
      need(es, 1);
      skip(es, es.get() & 0xFF);
    }
    if ((flags & 0x20) != 0) { // OCRstreamFlag: OCR_ES_Id
      skip(es, 2);
    }
    ByteBuffer config = descriptor(es, DECODER_CONFIG);
    if (config == null) {
      throw new Mp4FormatException("ES_Descriptor without a DecoderConfigDescriptor");
    }
    need(config, 13); // objectTypeIndication, streamType, bufferSizeDB, maxBitrate, avgBitrate
    int objectType = config.get() & 0xFF;
    skip(config, 12);
    boolean aac = objectType == 0x40 || objectType >= 0x66 && objectType <= 0x68;
    ByteBuffer specific = aac ? descriptor(config, DECODER_SPECIFIC_INFO) : null;
    return specific == null || specific.remaining() < 2 ? null : bytes(specific);
  }

  /** The body of the next descriptor of {@code tag} in {@code in}, skipping others; null at the end. */
  private static ByteBuffer descriptor(ByteBuffer in, int tag) throws Mp4FormatException {
    while (in.hasRemaining()) {
      int found = in.get() & 0xFF;
      int length = expandableSize(in);
      need(in, length);
      ByteBuffer body = in.slice(in.position(), length);
      in.position(in.position() + length);
      if (found == tag) {
        return body;
      }
    }
    return null;
  }

  /** ISO/IEC 14496-1 §8.3.3: 1 to 4 bytes, 7 bits each, the top bit set on all but the last. */
  private static int expandableSize(ByteBuffer in) throws Mp4FormatException {
    int size = 0;
    for (int i = 0; i < 4; i++) {
      need(in, 1);
      int b = in.get() & 0xFF;
      size = size << 7 | b & 0x7F;
      if ((b & 0x80) == 0) {
        return size;
      }
    }
    throw new Mp4FormatException("esds descriptor size longer than 4 bytes");
  }

  private static void need(ByteBuffer in, int bytes) throws Mp4FormatException {
    if (in.remaining() < bytes) {
      throw new Mp4FormatException("esds descriptor of " + in.remaining() + " bytes left, " + bytes + " needed");
    }
  }

  private static void skip(ByteBuffer in, int bytes) throws Mp4FormatException {
    need(in, bytes);
    in.position(in.position() + bytes);
  }

  private static byte[] bytes(ByteBuffer body) {
    byte[] bytes = new byte[body.remaining()];
    body.get(body.position(), bytes);
    return bytes;
  }
}
