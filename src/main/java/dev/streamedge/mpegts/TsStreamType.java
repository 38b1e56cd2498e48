package dev.streamedge.mpegts;

/** The elementary stream types the demuxer reads: stream_type of a PMT entry (ISO/IEC 13818-1 Table 2-34). */
public enum TsStreamType {
  /** AVC video, ITU-T H.264 Annex B byte stream. */
  H264(0x1B),
  /** HEVC video, ITU-T H.265 Annex B byte stream. */
  H265(0x24),
  /** ISO/IEC 13818-7 audio with ADTS transport syntax (AAC). */
  AAC_ADTS(0x0F);

  private final int code;

  TsStreamType(int code) {
    this.code = code;
  }

  /** The stream_type value. */
  public int code() {
    return code;
  }

  /** The type of a stream_type value, or null for types the demuxer ignores. */
  public static TsStreamType of(int code) {
    for (TsStreamType type : values()) {
      if (type.code == code) {
        return type;
      }
    }
    return null;
  }

  public boolean video() {
    return this != AAC_ADTS;
  }
}
