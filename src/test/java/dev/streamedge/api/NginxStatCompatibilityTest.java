package dev.streamedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.NginxRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * nginx-rtmp's {@code /stat} and {@code /control/drop}, side by side with Debian's nginx-rtmp: the same
 * ffmpeg publisher and one ffmpeg player on each, then every element nginx-rtmp writes is found in this
 * node's page with the same value where both see the same thing, and a drop drops the same player.
 */
@Tag("e2e")
class NginxStatCompatibilityTest {

  /** What nginx-rtmp measures and this node does not (NginxStat says why), and its build's identity. */
  private static final Set<String> NOT_WRITTEN = Set.of("avsync", "timestamp", "nginx_version",
      "nginx_rtmp_version", "built", "compiler");
  private static final String STREAM = "/rtmp/server/application[name='live']/live/stream[name='stat']";

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void statListsWhatNginxRtmpListsForTheSameClientsAndADropDropsTheSamePlayer() throws Exception {
    int rtmpPort = FreePorts.next();
    int httpPort = FreePorts.next();
    processes.own(NginxRtmp.startWithStat("stat", rtmpPort, httpPort));
    String nginx = "http://127.0.0.1:" + httpPort;
    Path media = TestMedia.audioVideo(12, 1);
    try (TestNode node = TestNode.start()) {
      processes.own(Clients.publish("stat-publisher-nginx", media, NginxRtmp.url(rtmpPort, "stat")));
      processes.own(Clients.publish("stat-publisher", media, node.rtmpUrl("stat")));
      node.awaitPublisher("stat");
      Process nginxPlayer = processes.own(Clients.playToHashes("stat-player-nginx", NginxRtmp.url(rtmpPort, "stat"),
          Clients.output("stat-player-nginx.framemd5")));
      Process player = processes.own(Clients.playToHashes("stat-player", node.rtmpUrl("stat"),
          Clients.output("stat-player.framemd5")));
      // Both pages once each has the player and the codecs; this node's once it has measured a whole second
      // of frames (its frame rate and bandwidths are measured, not read from the metadata) and has a page
      // a second old to measure bw_out from.
      Document theirs = await(nginx + "/stat");
      Document[] page = {await(node.httpUrl("/stat"))};
      Await.until("a frame rate measured", Duration.ofSeconds(10), () -> {
        page[0] = await(node.httpUrl("/stat"));
        return !text(page[0], STREAM + "/meta/video/frame_rate").equals("0")
            && !text(page[0], STREAM + "/bw_out").equals("0");
      });
      Document ours = page[0];

      Set<String> missing = paths(theirs);
      missing.removeAll(paths(ours));
      assertThat(missing).as("elements of nginx-rtmp's page not in this node's").isEmpty();
      for (String same : List.of("/nclients", "/meta/video/width", "/meta/video/height", "/meta/video/codec",
          "/meta/video/profile", "/meta/video/compat", "/meta/video/level", "/meta/audio/codec",
          "/meta/audio/profile", "/meta/audio/channels", "/meta/audio/sample_rate",
          "/client[not(publishing)]/flashver", "/client[not(publishing)]/dropped")) {
        assertThat(text(ours, STREAM + same)).as(same).isNotEmpty().isEqualTo(text(theirs, STREAM + same));
      }
      // nginx-rtmp cuts a flashVer to 31 characters (ffmpeg's "FMLE/3.0 (compatible; Lavf62.3."); this node does not.
      assertThat(text(ours, STREAM + "/client[publishing]/flashver"))
          .startsWith(text(theirs, STREAM + "/client[publishing]/flashver")).endsWith(")");
      assertThat(Long.parseLong(text(ours, STREAM + "/meta/video/frame_rate")))
          .as("frame rate, measured over the seconds so far (ffmpeg -re sends the first ones faster)")
          .isBetween(20L, 32L);
      assertThat(count(ours, STREAM + "/publishing") + count(ours, STREAM + "/client[publishing]")).isEqualTo(2);
      assertThat(Long.parseLong(text(ours, STREAM + "/bytes_in"))).isGreaterThan(100_000);
      assertThat(Long.parseLong(text(ours, STREAM + "/bytes_out"))).isGreaterThan(100_000);
      // 12 s of 1 Mbit/s: what came in over the last seconds, and what went out to the player since the last page.
      assertThat(Long.parseLong(text(ours, STREAM + "/bw_in"))).isBetween(500_000L, 2_000_000L);
      assertThat(Long.parseLong(text(ours, STREAM + "/bw_video"))).isGreaterThan(
          Long.parseLong(text(ours, STREAM + "/bw_audio")));
      assertThat(Long.parseLong(text(ours, STREAM + "/bw_out"))).isBetween(300_000L, 3_000_000L);
      assertThat(Long.parseLong(text(ours, "/rtmp/naccepted"))).isGreaterThanOrEqualTo(2);

      String query = "/control/drop/subscriber?app=live&name=stat&addr=127.0.0.1";
      assertThat(Http.get(nginx + query).body()).isEqualTo("1");
      assertThat(Http.get(node.httpUrl(query)).body()).isEqualTo("1");
      assertThat(nginxPlayer.waitFor(10, TimeUnit.SECONDS)).as("nginx-rtmp's player ended").isTrue();
      assertThat(player.waitFor(10, TimeUnit.SECONDS)).as("this node's player ended").isTrue();
      assertThat(text(parse(Http.get(node.httpUrl("/stat")).body()), STREAM + "/nclients")).isEqualTo("1");
      assertThat(text(parse(Http.get(nginx + "/stat").body()), STREAM + "/nclients")).isEqualTo("1");
      assertThat(Http.get(node.httpUrl(query)).body()).as("no player left to drop").isEqualTo("0");
    }
  }

  /** The page once its stream has a player and its codecs. */
  private static Document await(String url) throws Exception {
    Document[] page = new Document[1];
    Await.until(url + " with a player and the codecs", Duration.ofSeconds(15), () -> {
      page[0] = parse(Http.get(url).body());
      return text(page[0], STREAM + "/nclients").equals("2") && !text(page[0], STREAM + "/meta/audio/codec").isEmpty();
    });
    return page[0];
  }

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static String text(Document page, String xpath) throws Exception {
    return ((String) XPathFactory.newInstance().newXPath().evaluate(xpath, page, XPathConstants.STRING)).trim();
  }

  private static int count(Document page, String xpath) throws Exception {
    return ((NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, page, XPathConstants.NODESET))
        .getLength();
  }

  /** Every element's path from the root, as {@code rtmp/server/application/live/stream/client/flashver}. */
  private static Set<String> paths(Document page) {
    Set<String> paths = new TreeSet<>();
    collect(page.getDocumentElement(), "", paths);
    return paths;
  }

  private static void collect(Element element, String parent, Set<String> paths) {
    if (NOT_WRITTEN.contains(element.getTagName())) {
      return;
    }
    String path = parent + "/" + element.getTagName();
    paths.add(path);
    for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element e) {
        collect(e, path, paths);
      }
    }
  }
}
