package dev.streamedge.hls;

/** The forms in which a stream's HLS segments are served; each is packaged once per stream (the two
 * fMP4 ones share their bytes). */
public enum HlsVariant {
  /** MPEG-TS segments, EXT-X-VERSION 3: what every HLS player since 2009 plays. */
  MPEGTS(".ts", "mpegts"),
  /** fMP4/CMAF segments ({@code .m4s}) after an init segment ({@code .mp4}) named by EXT-X-MAP. */
  FMP4(".m4s", "fmp4"),
  /**
   * The fMP4 segments with their parts (RFC 8216bis LL-HLS): EXT-X-PART, EXT-X-PRELOAD-HINT, blocking
   * reload and delta updates; a player without LL-HLS support plays it as {@link #FMP4}.
   */
  LOW_LATENCY(".m4s", "low-latency");

  private final String extension;
  private final String configName;

  HlsVariant(String extension, String configName) {
    this.extension = extension;
    this.configName = configName;
  }

  /** The name {@code hls.variant} uses. */
  public String configName() {
    return configName;
  }

  /** The variant named {@code name} in {@code hls.variant}, or null. */
  public static HlsVariant byConfigName(String name) {
    for (HlsVariant variant : values()) {
      if (variant.configName.equals(name)) {
        return variant;
      }
    }
    return null;
  }

  /** The file extension of a media segment; ffmpeg's HLS demuxer accepts only known ones. */
  public String extension() {
    return extension;
  }
}
