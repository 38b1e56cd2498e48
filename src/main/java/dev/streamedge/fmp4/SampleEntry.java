package dev.streamedge.fmp4;

import io.netty.buffer.ByteBuf;

/**
 * What one track of an init segment carries: its handler, its timescale and its sample entry in
 * {@code stsd} (ISO/IEC 14496-12 §8.5.2), with the codec's configuration box.
 */
public sealed interface SampleEntry permits AvcSampleEntry, HevcSampleEntry, Av1SampleEntry, Vp9SampleEntry, AacSampleEntry,
    OpusSampleEntry {

  /** Whether this is a video track ({@code vide}) rather than audio ({@code soun}). */
  boolean video();

  /** Units per second of the track's timestamps ({@code mdhd} timescale). */
  int timescale();

  /** Display width in pixels, 0 for audio. */
  int width();

  /** Display height in pixels, 0 for audio. */
  int height();

  /**
   * The RFC 6381 codecs parameter of the track (as a DASH Representation's {@code @codecs} or an HLS
   * CODECS attribute names it), from its configuration.
   */
  String codecs();

  /** Writes the sample entry box, configuration included. */
  void write(ByteBuf out);

  /**
   * A whole visual sample entry: box {@code type} with the VisualSampleEntry fields, then the codec's
   * configuration record as it came from the publisher, in box {@code configType}.
   */
  static void writeVisual(ByteBuf out, String type, int width, int height, String configType, byte[] config) {
    int entry = Boxes.begin(out, type);
    writeVisualFields(out, width, height);
    int box = Boxes.begin(out, configType);
    out.writeBytes(config);
    Boxes.end(out, box);
    Boxes.end(out, entry);
  }

  /**
   * VisualSampleEntry fields (§12.1.3) after the box header, for a visual entry's {@code write}.
   */
  private static void writeVisualFields(ByteBuf out, int width, int height) {
    out.writeZero(6); // reserved
    out.writeShort(1); // data_reference_index
    out.writeShort(0); // pre_defined
    out.writeShort(0); // reserved
    out.writeZero(12); // pre_defined
    out.writeShort(width);
    out.writeShort(height);
    out.writeInt(0x00480000); // horizresolution, 72 dpi
    out.writeInt(0x00480000); // vertresolution
    out.writeInt(0); // reserved
    out.writeShort(1); // frame_count
    out.writeZero(32); // compressorname
    out.writeShort(0x0018); // depth
    out.writeShort(-1); // pre_defined
  }

  /** AudioSampleEntry fields (§12.2.3) after the box header, for an audio entry's {@code write}. */
  static void writeAudioFields(ByteBuf out, int channels, int sampleRate) {
    out.writeZero(6); // reserved
    out.writeShort(1); // data_reference_index
    out.writeZero(8); // reserved
    out.writeShort(channels);
    out.writeShort(16); // samplesize
    out.writeShort(0); // pre_defined
    out.writeShort(0); // reserved
    // 16.16 fixed point; a rate above 65535 Hz does not fit and is written as 0, as §12.2.3 allows
    // when the timescale carries it.
    out.writeInt(sampleRate <= 0xFFFF ? sampleRate << 16 : 0);
  }
}
