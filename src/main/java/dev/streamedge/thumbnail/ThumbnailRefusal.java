package dev.streamedge.thumbnail;

/**
 * Why no thumbnail: the HTTP status the API answers with (404 not live or no video, 502 ffmpeg failed, 503 too
 * many made at once, 504 no keyframe or picture in time) and the reason in words. Without a stack trace: an
 * answer, not a fault.
 */
public final class ThumbnailRefusal extends Exception {

  private final int status;

  public ThumbnailRefusal(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
