package dev.streamedge.record;

import java.util.Locale;

/** The file formats of recordings ({@code record.format}): each file's extension and content type. */
public enum RecordFormat {
  /** FLV, tag by tag (FLV spec v10.1 annex E): plays up to its last whole tag. */
  FLV(".flv", "video/x-flv"),
  /**
   * Fragmented MP4 (ISO/IEC 14496-12 §8.8): an init segment, then a fragment about every
   * {@value Fmp4Encoder#FRAGMENT_MILLIS} ms; plays up to its last whole fragment.
   */
  FMP4(".mp4", "video/mp4");

  private final String extension;
  private final String contentType;

  RecordFormat(String extension, String contentType) {
    this.extension = extension;
    this.contentType = contentType;
  }

  /** The format named {@code name} in the configuration ({@code flv}, {@code fmp4}). */
  static RecordFormat of(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** The file name's extension, with its dot. */
  public String extension() {
    return extension;
  }

  /** The HTTP content type of a download. */
  public String contentType() {
    return contentType;
  }

  /** The format whose files end in {@code extension} (with its dot), or null. */
  static RecordFormat ofExtension(String extension) {
    for (RecordFormat format : values()) {
      if (format.extension.equals(extension)) {
        return format;
      }
    }
    return null;
  }

  /** A new writer of this format's bytes, for one file. */
  RecordingEncoder encoder(long maxFragmentBytes) {
    return this == FLV ? new FlvEncoder() : new Fmp4Encoder(maxFragmentBytes);
  }
}
