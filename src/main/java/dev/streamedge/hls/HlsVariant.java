package dev.streamedge.hls;

/** The forms in which a stream's HLS segments are served; each is packaged once per stream (the two
 * fMP4 ones share their bytes). */
public enum HlsVariant {
  /** MPEG-TS segments, EXT-X-VERSION 3: what every HLS player since 2009 plays. */
  MPEGTS(".ts"),
  /** fMP4/CMAF segments ({@code .m4s}) after an init segment ({@code .mp4}) named by EXT-X-MAP. */
  FMP4(".m4s"),
  /**
   * The fMP4 segments with their parts (RFC 8216bis LL-HLS): EXT-X-PART, EXT-X-PRELOAD-HINT, blocking
   * reload and delta updates; a player without LL-HLS support plays it as {@link #FMP4}.
   */
  LOW_LATENCY(".m4s");

  private final String extension;

  HlsVariant(String extension) {
    this.extension = extension;
  }

  /** The file extension of a media segment; ffmpeg's HLS demuxer accepts only known ones. */
  public String extension() {
    return extension;
  }
}
