package dev.streamedge.media;

/** What an FLV tag / RTMP media message carries. */
public enum MediaKind {
  AUDIO,
  VIDEO,
  /** A script data message such as onMetaData or onTextData (AMF0). */
  DATA
}
