package dev.streamedge;

import dev.streamedge.config.StreamedgeConfig;
import dev.streamedge.net.TlsEngines;

/** The line a node logs once it listens: every port, what each reads first, its TLS engines. */
final class ListeningLine {

  private ListeningLine() {
  }

  static String of(Node node, StreamedgeConfig config, String transport, int eventLoops) {
    StringBuilder line = new StringBuilder("listening: rtmp ").append(config.rtmp().host()).append(':')
        .append(node.rtmpPort());
    if (node.rtmpsPort() >= 0) {
      line.append(", rtmps ").append(node.rtmpsPort()).append(" (")
          .append(TlsEngines.name(TlsEngines.of(config.rtmp().rtmps().preferOpenSsl()))).append(" TLS)");
    }
    if (config.rtmp().proxyProtocol()) {
      line.append(" after a PROXY protocol header, and without one on 127.0.0.1:").append(node.localRtmpPort());
    }
    line.append(", http and rtmpt ").append(config.http().host()).append(':').append(node.httpPort());
    if (config.http().proxyProtocol()) {
      line.append(" after a PROXY protocol header");
    }
    if (node.httpsPort() >= 0) {
      line.append(", https and rtmpts ").append(node.httpsPort()).append(" (")
          .append(TlsEngines.name(TlsEngines.of(config.http().tls().preferOpenSsl()))).append(" TLS)");
    }
    if (!node.rtmptPorts().isEmpty()) {
      line.append(", rtmpt ").append(node.rtmptPorts());
    }
    if (node.metricsPort() >= 0) {
      line.append(", metrics and health ").append(node.metricsPort());
    }
    if (node.srtPort() >= 0) {
      line.append(", srt (udp) ").append(config.srt().host()).append(':').append(node.srtPort());
    }
    if (node.rtspPort() >= 0) {
      line.append(", rtsp ").append(config.rtsp().host()).append(':').append(node.rtspPort());
    }
    if (node.rtspsPort() >= 0) {
      line.append(", rtsps ").append(node.rtspsPort()).append(" (")
          .append(TlsEngines.name(TlsEngines.of(config.rtsp().tls().preferOpenSsl()))).append(" TLS)");
    }
    return line.append("; ").append(transport).append(" transport, ").append(eventLoops).append(" event loop")
        .append(eventLoops == 1 ? "" : "s").toString();
  }
}
