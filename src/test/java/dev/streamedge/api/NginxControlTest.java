package dev.streamedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nginx-rtmp's {@code /control/drop} narrowed by its arguments, and what it refuses: bad arguments, other
 * words, and a drop from another site's web page. Against raw RTMP publishers (their flashVer unset), so
 * that the ids and addresses are known.
 */
@Tag("e2e")
class NginxControlTest {

  @RegisterExtension
  static final TestNode NODE = TestNode.extension();

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
      assertThat(Http.get(NODE.httpUrl("/control/redirect/publisher?app=live&name=control-kept&newname=x"))
          .statusCode()).as("nginx-rtmp's redirect control, not here").isEqualTo(404);
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
