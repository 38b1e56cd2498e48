package dev.streamedge.stream;

/** Identifies one live stream: the RTMP application and the stream key ({@code rtmp://host/<app>/<name>}). */
public record StreamKey(String app, String name) {

  @Override
  public String toString() {
    return app + "/" + name;
  }
}
