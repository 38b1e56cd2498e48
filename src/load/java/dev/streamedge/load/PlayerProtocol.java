package dev.streamedge.load;

/** How a load player plays; each has its own figures, since an HLS delay is seconds where RTMP's is milliseconds. */
enum PlayerProtocol {
  RTMP("rtmp"),
  HTTP_FLV("http-flv"),
  HLS("hls");

  final String label;

  PlayerProtocol(String label) {
    this.label = label;
  }
}
