package dev.streamedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.NginxRtmp;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nginx-rtmp's {@code /control/drop} narrowed by its arguments, and what it refuses: bad arguments, other
 * words, and a drop from another site's web page. Against raw RTMP publishers (their flashVer unset), so
 * that the ids and addresses are known. And its {@code /control/redirect/subscriber}, beside Debian's
 * nginx-rtmp.
 */
@Tag("e2e")
class NginxControlTest {

  @RegisterExtension
  static final TestNode NODE = TestNode.extension();

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void eachArgumentNarrowsWhichPublishersAreDropped() throws Exception {
    try (RawRtmp one = RawRtmp.publishing(NODE.rtmpPort(), "control-one");
        RawRtmp two = RawRtmp.publishing(NODE.rtmpPort(), "control-two")) {
      assertThat(drop("publisher?app=other")).as("another app").isEqualTo("0");
      assertThat(drop("publisher?app=live&name=control-one&addr=192.0.2.1")).as("another address").isEqualTo("0");
      assertThat(drop("subscriber?app=live&name=control-one")).as("no player").isEqualTo("0");
      assertThat(drop("publisher?app=live&name=control-one&addr=127.0.0.1")).isEqualTo("1");
      one.awaitClosedByServer(Duration.ofSeconds(5));
      String id = clientIdOf("control-two");
      assertThat(drop("client?clientid=" + (Long.parseLong(id) + 1000))).as("another id").isEqualTo("0");
      assertThat(drop("client?clientid=" + id)).isEqualTo("1");
      two.awaitClosedByServer(Duration.ofSeconds(5));
    }
  }

  @Test
  void badArgumentsOtherWordsAndOtherSitesPagesAreRefusedWithoutALoggedError() throws Exception {
    try (LogLines logs = LogLines.capture(); RawRtmp publisher = RawRtmp.publishing(NODE.rtmpPort(), "control-kept")) {
      for (String query : new String[] {"app=%ZZ", "name=%", "name=a%00b", "app=..", "clientid=abc",
          "clientid=99999999999999999999", "addr=" + "1".repeat(100)}) {
        // Sent as they are: Java's HTTP client refuses a broken %-escape.
        assertThat(Http.rawGet(NODE.httpPort(), "/control/drop/client?" + query)).as(query).matches("(?s)HTTP/1.1 400 .*\r\n\r\n.+");
      }
      assertThat(Http.get(NODE.httpUrl("/control/drop/everyone")).statusCode()).isEqualTo(404);
      assertThat(Http.get(NODE.httpUrl("/control/redirect/publisher?app=live&name=nobody&newname=x"))
          .body()).as("no such publisher").isEqualTo("0");
      assertThat(Http.get(NODE.httpUrl("/control/redirect/publisher?app=live&name=control-kept&newname=a%2Fb"))
          .statusCode()).as("a newname that is no stream name").isEqualTo(400);
      assertThat(Http.get(NODE.httpUrl("/control/redirect/subscriber?app=live")).statusCode())
          .as("no newname").isEqualTo(400);
      assertThat(Http.get(NODE.httpUrl("/control/redirect/everyone?newname=x")).statusCode()).isEqualTo(404);
      assertThat(Http.get(NODE.httpUrl("/control/record/pause?app=live&name=control-kept")).statusCode())
          .isEqualTo(404);
      HttpResponse<String> fromAPage = Http.get(NODE.httpUrl("/control/drop/client"), "Sec-Fetch-Site", "cross-site");
      assertThat(fromAPage.statusCode()).isEqualTo(403);
      assertThat(Http.get(NODE.httpUrl("/control/drop/client?name=nobody"), "Sec-Fetch-Site", "none").body())
          .as("typed into the address bar").isEqualTo("0");
      assertThat(clientIdOf("control-kept")).as("the publisher is still there").isNotEmpty();
      assertThat(logs.matching("ERROR|Unhandled exception")).isEmpty();
    }
  }

  @Test
  void aRedirectMovesAnRtmpPlayerOrPublisherToAnotherStreamOfItsAppAsOnNginxRtmp() throws Exception {
    int port = FreePorts.next();
    int httpPort = FreePorts.next();
    processes.own(NginxRtmp.startWithStat("control-redirect", port, httpPort));
    Path red = TestMedia.audioVideo(4, 1);
    Path blue = TestMedia.fiveMegabit(4);
    String nginxControl = "http://127.0.0.1:" + httpPort;
    for (String base : new String[] {"rtmp://127.0.0.1:" + port, "rtmp://127.0.0.1:" + NODE.rtmpPort()}) {
      processes.own(Clients.publishLooping("redirect-red", red, base + "/live/redirect-red"));
      processes.own(Clients.publishLooping("redirect-blue", blue, base + "/live/redirect-blue"));
    }
    NODE.awaitPublisher("redirect-red");
    NODE.awaitPublisher("redirect-blue");
    // A raw player on each server, which hears what the server sends and stays; ffmpeg on the node too.
    Path out = Clients.output("redirect-ffmpeg.framemd5");
    Process ffmpeg = processes.own(Ffmpeg.start("redirect-ffmpeg", List.of("-i", NODE.rtmpUrl("redirect-red"),
        "-map", "0", "-c", "copy", "-t", "8", "-f", "framemd5", "-y", out.toString())));
    try (RawRtmp onNginx = RawRtmp.playing(port, "redirect-red"); RawRtmp onNode = RawRtmp.playing(NODE.rtmpPort(),
        "redirect-red")) {
      NODE.awaitSubscribers("redirect-red", 2);
      Await.until("nginx-rtmp's player of red", Duration.ofSeconds(10),
          () -> streamOf(Http.get(nginxControl + "/stat").body(), "LNX 9,0,124,2").equals("redirect-red"));
      // About two seconds of red (112 KB/s) to a player that reads it: its GOP and more.
      Await.until("red played a while on the node", Duration.ofSeconds(15),
          () -> mostSentToAPlayerOf("redirect-red") >= 250_000);
      String query = "?app=live&name=redirect-red&newname=redirect-blue";
      assertThat(Http.get(nginxControl + "/control/redirect/subscriber" + query).body()).as("nginx-rtmp")
          .isEqualTo("1");
      assertThat(Http.get(NODE.httpUrl("/control/redirect/subscriber" + query)).body()).as("the node")
          .isEqualTo("2");
      Await.until("nginx-rtmp's player moved to blue", Duration.ofSeconds(10),
          () -> streamOf(Http.get(nginxControl + "/stat").body(), "LNX 9,0,124,2").equals("redirect-blue"));
      Await.until("the node's players moved to blue", Duration.ofSeconds(10),
          () -> streamOf(Http.get(NODE.httpUrl("/stat")).body(), "LNX 9,0,124,2").equals("redirect-blue"));
      NODE.awaitSubscribers("redirect-blue", 2);
      onNode.awaitStatus("NetStream.Play.Start", Duration.ofSeconds(5));
      onNode.awaitStatus("NetStream.Play.Start", Duration.ofSeconds(5));
      Ffmpeg.awaitSuccess("redirect-ffmpeg", ffmpeg, 30);
      // A publisher moves too, and its new stream starts with the sequence headers it sent to the old one.
      String publisher = "?app=live&name=redirect-blue&newname=redirect-green";
      assertThat(Http.get(nginxControl + "/control/redirect/publisher" + publisher).body()).as("nginx-rtmp")
          .isEqualTo("1");
      assertThat(Http.get(NODE.httpUrl("/control/redirect/publisher" + publisher)).body()).as("the node")
          .isEqualTo("1");
      Await.until("nginx-rtmp's green", Duration.ofSeconds(10),
          () -> Http.get(nginxControl + "/stat").body().contains("<name>redirect-green</name>"));
      NODE.awaitPublisher("redirect-green");
      Path green = Clients.output("redirect-green.framemd5");
      Process greenPlayer = processes.own(Ffmpeg.start("redirect-green", List.of("-i", NODE.rtmpUrl("redirect-green"),
          "-map", "0", "-c", "copy", "-t", "3", "-f", "framemd5", "-y", green.toString())));
      Ffmpeg.awaitSuccess("redirect-green", greenPlayer, 30);
      List<String> greenVideo = FrameHashes.parse(green).video();
      assertThat(greenVideo).as("green is blue's encoder").hasSizeGreaterThan(40)
          .allMatch(FrameHashes.ofFile(blue).video()::contains);
    }
    // ffmpeg played red, then blue, on the same connection.
    List<String> received = FrameHashes.parse(out).video();
    FrameHashes redFrames = FrameHashes.ofFile(red);
    FrameHashes blueFrames = FrameHashes.ofFile(blue);
    int firstBlue = -1;
    for (int i = 0; i < received.size(); i++) {
      if (blueFrames.video().contains(received.get(i))) {
        firstBlue = i;
        break;
      }
    }
    System.out.printf("redirect: %d video packets, blue from %d on%n", received.size(), firstBlue);
    assertThat(firstBlue).as("blue's packets after the redirect").isGreaterThan(20);
    assertThat(received.subList(0, firstBlue)).as("red before it").allMatch(redFrames.video()::contains);
    assertThat(received.subList(firstBlue, received.size())).as("only blue after it")
        .allMatch(blueFrames.video()::contains).hasSizeGreaterThan(40);
  }

  /** The most bytes the node sent to one player of {@code key} in app live. */
  private static long mostSentToAPlayerOf(String key) throws Exception {
    JsonArray clients = new JsonObject(Http.get(NODE.httpUrl("/api/v1/clients")).body()).getJsonArray("clients");
    long most = 0;
    for (int i = 0; i < clients.size(); i++) {
      JsonObject client = clients.getJsonObject(i);
      JsonObject stream = client.getJsonObject("stream");
      if ("player".equals(client.getString("role")) && stream != null && key.equals(stream.getString("key"))) {
        most = Math.max(most, client.getLong("bytesOut"));
      }
    }
    return most;
  }

  /** The stream whose {@code <client>} has {@code flashver} on a /stat page, {@code ""} when none. */
  private static String streamOf(String page, String flashver) {
    int client = page.indexOf("<flashver>" + flashver + "</flashver>");
    if (client < 0) {
      return "";
    }
    int stream = page.lastIndexOf("<stream>", client);
    return page.substring(page.indexOf("<name>", stream) + "<name>".length(), page.indexOf("</name>", stream));
  }

  private static String drop(String what) throws Exception {
    HttpResponse<String> answer = Http.get(NODE.httpUrl("/control/drop/" + what));
    assertThat(answer.statusCode()).as(what).isEqualTo(200);
    return answer.body();
  }

  /** The id /stat gives the publisher of {@code key}, {@code ""} when there is none. */
  private static String clientIdOf(String key) throws Exception {
    String page = Http.get(NODE.httpUrl("/stat")).body();
    int stream = page.indexOf("<name>" + key + "</name>");
    if (stream < 0) {
      return "";
    }
    int id = page.indexOf("<client><id>", stream);
    return page.substring(id + "<client><id>".length(), page.indexOf("</id>", id));
  }
}
