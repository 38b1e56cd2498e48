package dev.streamedge.mp4;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Small MP4 files built box by box (ISO/IEC 14496-12), for tests and the fuzzer's seeds: an H.264 track of
 * {@link #videoSamples} samples at 25 fps (timescale 12800) in chunks of 3, and an AAC track of
 * {@link #audioSamples} 7-byte samples of 1024 at 48 kHz in chunks of 2, 2, then 1. Video sample i is
 * {@code 20 + i} bytes of {@code 0x10 + i}; audio sample i is 7 bytes of {@code 0x80 + i}, so a test can
 * tell by the bytes at an offset which sample is there.
 */
final class Mp4Builder {

  static final byte[] AVCC = {1, 0x4D, 0x40, 0x1E, (byte) 0xFF, (byte) 0xE1, 0, 4, 0x67, 0x4D, 0x40, 0x1E, 1, 0, 2,
      0x68, (byte) 0xEE};
  static final byte[] ASC = {0x11, (byte) 0x90};

  int videoSamples = 10;
  int audioSamples = 8;
  /** Full boxes in version 1: mvhd, mdhd, elst, ctts (signed). */
  boolean version1;
  boolean largeMdat;
  boolean co64;
  boolean moovFirst;
  /** The video track's leading empty edit in the movie's milliseconds; 0 for none. */
  long videoEmptyEdit;
  /** The video edit's media_time; -1 for no edit list. */
  long videoMediaTime = -1;
  /** A composition offset per video sample, media units; null for no ctts. */
  int[] videoCtts;
  /** The 1-based sync samples of the video; null for no stss. */
  int[] videoSync = {1, 6};

  byte[] build() {
    byte[] ftyp = box("ftyp", ascii("isom"), u32(512), ascii("isomavc1"));
    ByteArrayOutputStream media = new ByteArrayOutputStream();
    for (int i = 0; i < videoSamples; i++) {
      media.writeBytes(filled(20 + i, 0x10 + i));
    }
    for (int i = 0; i < audioSamples; i++) {
      media.writeBytes(filled(7, 0x80 + i));
    }
    byte[] payload = media.toByteArray();
    byte[] mdatHeader = largeMdat ? cat(u32(1), ascii("mdat"), u64(16L + payload.length))
        : cat(u32(8 + payload.length), ascii("mdat"));
    long mdatAt = ftyp.length + (moovFirst ? moov(0).length : 0);
    long base = mdatAt + mdatHeader.length;
    byte[] moov = moov(base);
    return moovFirst ? cat(ftyp, moov, mdatHeader, payload) : cat(ftyp, mdatHeader, payload, moov);
  }

  private byte[] moov(long base) {
    byte[] mvhd = version1 ? box("mvhd", u32(1 << 24), u64(0), u64(0), u32(1000), u64(0), new byte[80])
        : box("mvhd", u32(0), u32(0), u32(0), u32(1000), u32(0), new byte[80]);
    byte[] video = videoSamples == 0 ? new byte[0] : videoTrak(base);
    long audioBase = base;
    for (int i = 0; i < videoSamples; i++) {
      audioBase += 20 + i;
    }
    byte[] audio = audioSamples == 0 ? new byte[0] : audioTrak(audioBase);
    return box("moov", mvhd, video, audio);
  }

  /** The avc1 sample entry (ISO/IEC 14496-15 §5.4.2.1) of a 320x240 picture with {@link #AVCC}. */
  static byte[] avc1() {
    return box("avc1", new byte[6], u16(1), new byte[16], u16(320), u16(240), u32(0x480000), u32(0x480000),
        u32(0), u16(1), new byte[32], u16(24), u16(0xFFFF), box("avcC", AVCC));
  }

  /** The mp4a sample entry of 48 kHz stereo AAC with {@link #ASC} in its esds. */
  static byte[] mp4a() {
    byte[] decoderConfig = descriptor(4, cat(new byte[] {0x40, 0x15}, new byte[11], descriptor(5, ASC)));
    byte[] esds = box("esds", u32(0), descriptor(3, cat(u16(2), new byte[1], decoderConfig,
        descriptor(6, new byte[] {2}))));
    return box("mp4a", new byte[6], u16(1), new byte[8], u16(2), u16(16), u32(0), u32(48000 << 16), esds);
  }

  private byte[] videoTrak(long base) {
    byte[] avc1 = avc1();
    ByteArrayOutputStream tables = new ByteArrayOutputStream();
    tables.writeBytes(box("stsd", u32(0), u32(1), avc1));
    tables.writeBytes(box("stts", u32(0), u32(1), u32(videoSamples), u32(512)));
    if (videoCtts != null) {
      ByteArrayOutputStream runs = new ByteArrayOutputStream();
      for (int offset : videoCtts) {
        runs.writeBytes(cat(u32(1), u32(offset)));
      }
      tables.writeBytes(box("ctts", u32(version1 ? 1 << 24 : 0), u32(videoCtts.length), runs.toByteArray()));
    }
    if (videoSync != null) {
      ByteArrayOutputStream numbers = new ByteArrayOutputStream();
      for (int number : videoSync) {
        numbers.writeBytes(u32(number));
      }
      tables.writeBytes(box("stss", u32(0), u32(videoSync.length), numbers.toByteArray()));
    }
    tables.writeBytes(box("stsc", u32(0), u32(1), u32(1), u32(3), u32(1)));
    ByteArrayOutputStream sizes = new ByteArrayOutputStream();
    long[] chunks = new long[(videoSamples + 2) / 3];
    long at = base;
    for (int i = 0; i < videoSamples; i++) {
      sizes.writeBytes(u32(20 + i));
      if (i % 3 == 0) {
        chunks[i / 3] = at;
      }
      at += 20 + i;
    }
    tables.writeBytes(box("stsz", u32(0), u32(0), u32(videoSamples), sizes.toByteArray()));
    tables.writeBytes(chunkOffsets(chunks));
    byte[] edts = new byte[0];
    if (videoMediaTime >= 0) {
      byte[] empty = videoEmptyEdit == 0 ? new byte[0] : version1 ? cat(u64(videoEmptyEdit), u64(-1), u32(0x10000))
          : cat(u32(videoEmptyEdit), u32(-1), u32(0x10000));
      byte[] edit = version1 ? cat(u64(0), u64(videoMediaTime), u32(0x10000))
          : cat(u32(0), u32(videoMediaTime), u32(0x10000));
      edts = box("edts", box("elst", u32(version1 ? 1 << 24 : 0), u32(videoEmptyEdit == 0 ? 1 : 2), empty, edit));
    }
    return box("trak", edts, box("mdia", mdhd(12800), box("hdlr", u32(0), u32(0), ascii("vide"), new byte[13]),
        box("minf", box("stbl", tables.toByteArray()))));
  }

  private byte[] audioTrak(long base) {
    byte[] mp4a = mp4a();
    int[] perChunk = {2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    int count = 0;
    long at = base;
    for (int sample = 0; sample < audioSamples; sample += perChunk[count++]) {
      chunks.writeBytes(co64 ? u64(at) : u32(at));
      at += 7L * Math.min(perChunk[count], audioSamples - sample);
    }
    byte[] offsets = co64 ? box("co64", u32(0), u32(count), chunks.toByteArray())
        : box("stco", u32(0), u32(count), chunks.toByteArray());
    byte[] stbl = box("stbl", box("stsd", u32(0), u32(1), mp4a), box("stts", u32(0), u32(1), u32(audioSamples),
        u32(1024)), box("stsc", u32(0), u32(count > 2 ? 2 : 1), u32(1), u32(2), u32(1),
        count > 2 ? cat(u32(3), u32(1), u32(1)) : new byte[0]), box("stsz", u32(0), u32(7), u32(audioSamples)), offsets);
    return box("trak", box("mdia", mdhd(48000), box("hdlr", u32(0), u32(0), ascii("soun"), new byte[13]),
        box("minf", stbl)));
  }

  private byte[] mdhd(int timescale) {
    return version1 ? box("mdhd", u32(1 << 24), u64(0), u64(0), u32(timescale), u64(0), u32(0))
        : box("mdhd", u32(0), u32(0), u32(0), u32(timescale), u32(0), u32(0));
  }

  private byte[] chunkOffsets(long[] chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long chunk : chunks) {
      out.writeBytes(co64 ? u64(chunk) : u32(chunk));
    }
    return box(co64 ? "co64" : "stco", u32(0), u32(chunks.length), out.toByteArray());
  }

  /** An ISO/IEC 14496-1 descriptor, its size in one byte (as the bodies here are short). */
  private static byte[] descriptor(int tag, byte[] body) {
    return cat(new byte[] {(byte) tag, (byte) body.length}, body);
  }

  static byte[] box(String type, byte[]... parts) {
    byte[] body = cat(parts);
    return cat(u32(8 + body.length), ascii(type), body);
  }

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static byte[] filled(int size, int value) {
    byte[] bytes = new byte[size];
    java.util.Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] u16(int value) {
    return new byte[] {(byte) (value >>> 8), (byte) value};
  }

  static byte[] u32(long value) {
    return ByteBuffer.allocate(4).putInt((int) value).array();
  }

  static byte[] u64(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }
}
