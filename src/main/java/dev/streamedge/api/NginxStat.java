package dev.streamedge.api;

import dev.streamedge.media.codec.CodecDetails;
import dev.streamedge.session.ClientInfo;
import dev.streamedge.session.ClientRole;
import dev.streamedge.stream.StreamInfo;
import dev.streamedge.stream.StreamKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The XML of nginx-rtmp's statistics page ({@code rtmp_stat all}), element for element as Debian's
 * nginx-rtmp 1.2 writes it, so that scripts, exporters and the {@code stat.xsl} page written for it read
 * this node: one {@code <application>} per app with a stream, one {@code <stream>} per stream with its
 * publisher and its RTMP and HTTP-FLV players as {@code <client>}s, the codecs under {@code <meta>}.
 * What nginx-rtmp measures and this node does not is left out: {@code <avsync>} and {@code <timestamp>}
 * of a client. Pure: snapshots in, text out.
 */
final class NginxStat {

  private static final Comparator<StreamKey> BY_NAME =
      Comparator.comparing(StreamKey::app).thenComparing(StreamKey::name);

  private NginxStat() {
  }

  /**
   * The node's part of the page.
   *
   * @param version this build's version, in place of nginx's
   * @param uptimeSeconds seconds since the node started
   * @param accepted clients accepted since the start
   * @param bytesIn bytes received since the start; {@code bytesOut} sent
   * @param bwIn bits per second received lately; {@code bwOut} sent
   */
  record Node(String version, long pid, long uptimeSeconds, long accepted, long bytesIn, long bytesOut, long bwIn,
      long bwOut) {
  }

  /**
   * The page. {@code streamBwOut}: bits per second sent lately to each stream's players (absent: 0);
   * {@code nowMillis}: the wall clock, for the ages of streams and clients.
   */
  static String xml(Node node, List<StreamInfo> streams, List<ClientInfo> clients, Map<StreamKey, Long> streamBwOut,
      long nowMillis) {
    Map<StreamKey, List<ClientInfo>> byStream = new TreeMap<>(BY_NAME);
    for (ClientInfo client : clients) {
      if (client.stream() != null && client.role() != ClientRole.IDLE) {
        byStream.computeIfAbsent(client.stream(), key -> new ArrayList<>()).add(client);
      }
    }
    Map<String, List<StreamInfo>> byApp = new TreeMap<>();
    for (StreamInfo stream : streams) {
      // As in nginx-rtmp, a stream is there while someone publishes or plays it; not while only the HLS
      // packager or a pull that lingers keeps it.
      if (stream.publisher() == null && !byStream.containsKey(stream.key())) {
        continue;
      }
      byApp.computeIfAbsent(stream.key().app(), app -> new ArrayList<>()).add(stream);
    }
    StringBuilder out = new StringBuilder(1024 + 512 * streams.size() + 256 * clients.size());
    out.append("<?xml version=\"1.0\" encoding=\"utf-8\" ?>\r\n<rtmp>\r\n");
    element(out, "streamedge_version", node.version());
    element(out, "pid", node.pid());
    element(out, "uptime", node.uptimeSeconds());
    element(out, "naccepted", node.accepted());
    element(out, "bw_in", node.bwIn());
    element(out, "bytes_in", node.bytesIn());
    element(out, "bw_out", node.bwOut());
    element(out, "bytes_out", node.bytesOut());
    out.append("<server>\r\n");
    byApp.forEach((app, appStreams) -> {
      out.append("<application>\r\n");
      element(out, "name", app);
      out.append("<live>\r\n");
      int appClients = 0;
      appStreams.sort(Comparator.comparing(info -> info.key().name()));
      for (StreamInfo stream : appStreams) {
        List<ClientInfo> streamClients = byStream.getOrDefault(stream.key(), List.of());
        appClients += streamClients.size();
        stream(out, stream, streamClients, streamBwOut.getOrDefault(stream.key(), 0L), nowMillis);
      }
      element(out, "nclients", appClients);
      out.append("</live>\r\n</application>\r\n");
    });
    out.append("</server>\r\n</rtmp>\r\n");
    return out.toString();
  }

  private static void stream(StringBuilder out, StreamInfo stream, List<ClientInfo> clients, long bwOut,
      long nowMillis) {
    boolean live = stream.publisher() != null;
    long bytesOut = 0;
    for (ClientInfo client : clients) {
      bytesOut += client.role() == ClientRole.PLAYER ? client.bytesOut() : 0;
    }
    StreamInfo.Rates rates = stream.rates();
    out.append("<stream>\r\n");
    element(out, "name", stream.key().name());
    out.append("<time>").append(live ? Math.max(0, nowMillis - stream.publishedAtMillis()) : 0).append("</time>");
    element(out, "bw_in", rates.bitsPerSecond());
    element(out, "bytes_in", stream.bytesIn());
    element(out, "bw_out", bwOut);
    element(out, "bytes_out", bytesOut);
    element(out, "bw_audio", rates.bitsPerSecond() - rates.videoBitsPerSecond());
    element(out, "bw_video", rates.videoBitsPerSecond());
    // Players first, then the publisher, as nginx-rtmp lists them (newest first).
    clients.stream().sorted(Comparator.comparing((ClientInfo c) -> c.role() == ClientRole.PUBLISHER)
        .thenComparing(Comparator.comparingLong(ClientInfo::id).reversed()))
        .forEach(client -> client(out, client, nowMillis));
    StreamInfo.Codecs codecs = stream.codecs();
    if (live && (codecs.videoDetails().isPresent() || codecs.audioDetails().isPresent())) {
      out.append("<meta>");
      codecs.videoDetails().ifPresent(video -> video(out, video, rates.fps()));
      codecs.audioDetails().ifPresent(audio -> audio(out, audio));
      out.append("</meta>\r\n");
    }
    element(out, "nclients", clients.size());
    if (live) {
      out.append("<publishing/>\r\n<active/>\r\n");
    }
    out.append("</stream>\r\n");
  }

  private static void client(StringBuilder out, ClientInfo client, long nowMillis) {
    out.append("<client>");
    inline(out, "id", Long.toString(client.id()));
    inline(out, "address", host(client.address()));
    inline(out, "time", Long.toString(Math.max(0, nowMillis - client.connectedAtMillis())));
    inline(out, "flashver", client.flashVersion());
    inline(out, "dropped", Long.toString(client.droppedFrames()));
    // Not in nginx-rtmp's page: which of this node's protocols the client speaks.
    inline(out, "protocol", client.protocol());
    if (client.role() == ClientRole.PUBLISHER) {
      out.append("<publishing/>");
    }
    out.append("<active/></client>\r\n");
  }

  private static void video(StringBuilder out, CodecDetails.Video video, double fps) {
    out.append("<video>");
    inline(out, "width", Integer.toString(video.width()));
    inline(out, "height", Integer.toString(video.height()));
    inline(out, "frame_rate", Long.toString(Math.round(fps)));
    inline(out, "codec", video.codec());
    if (!video.profile().isEmpty()) {
      inline(out, "profile", video.profile());
      inline(out, "compat", Integer.toString(video.compat()));
      inline(out, "level", video.level());
    }
    out.append("</video>");
  }

  private static void audio(StringBuilder out, CodecDetails.Audio audio) {
    out.append("<audio>");
    inline(out, "codec", audio.codec());
    if (!audio.profile().isEmpty()) {
      inline(out, "profile", audio.profile());
      inline(out, "channels", Integer.toString(audio.channels()));
      inline(out, "sample_rate", Integer.toString(audio.sampleRate()));
    }
    out.append("</audio>");
  }

  /** The IP of {@code host:port} (IPv6 included), as nginx-rtmp shows a client's address. */
  static String host(String address) {
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? address : address.substring(0, colon);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static void element(StringBuilder out, String name, Object value) {
    inline(out, name, String.valueOf(value));
    out.append("\r\n");
  }

  private static void inline(StringBuilder out, String name, String value) {
    out.append('<').append(name).append('>');
    escape(out, value);
    out.append("</").append(name).append('>');
  }

  /** XML 1.0 §2.4 character data: markup characters escaped, characters XML cannot carry (§2.2) left out. */
  static void escape(StringBuilder out, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (c >= 0x20 && c != 0xFFFE && c != 0xFFFF || c == '\t' || c == '\n' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
  }
}
