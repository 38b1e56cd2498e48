package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.http.DashPath.Kind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The MPEG-DASH URLs, read from the path: nginx-rtmp's short form, the app's, and what is not one. */
@Tag("unit")
class DashPathTest {

  @Test
  void mpdsWithAndWithoutTheApp() {
    assertThat(DashPath.parse("/dash/test.mpd")).isEqualTo(new DashPath(Kind.MANIFEST, "live", "test", -1, -1, false));
    assertThat(DashPath.parse("/dash/tv/news.mpd")).isEqualTo(new DashPath(Kind.MANIFEST, "tv", "news", -1, -1, false));
  }

  @Test
  void initAndMediaSegmentsOfEachTrack() {
    assertThat(DashPath.parse("/dash/test/1796-init.m4v")).isEqualTo(new DashPath(Kind.INIT, "live", "test", 1796, -1, true));
    assertThat(DashPath.parse("/dash/tv/news/1796-init.m4a")).isEqualTo(new DashPath(Kind.INIT, "tv", "news", 1796, -1, false));
    assertThat(DashPath.parse("/dash/test/1796-180000.m4v"))
        .isEqualTo(new DashPath(Kind.MEDIA, "live", "test", 1796, 180_000, true));
    assertThat(DashPath.parse("/dash/tv/news/1796-0.m4a")).isEqualTo(new DashPath(Kind.MEDIA, "tv", "news", 1796, 0, false));
  }

  @Test
  void anythingElseIsNone() {
    for (String path : new String[] {"/dash/", "/dash/.mpd", "/dash//x.mpd", "/dash/a/b/c.mpd", "/dash/test/1-2.mp4",
        "/dash/test/-init.m4v", "/dash/test/x-init.m4v", "/dash/test/1-x.m4v", "/dash/test/1-.m4v", "/dash/test/1.m4v",
        "/dash/test/1-init-2.m4v", "/dash/a/b/c/1-2.m4v", "/dash/test/1-1234567890123456789.m4v", "/hls/test.mpd",
        "/dash/test/1--2.m4a", "/dash/test/1-2.m4v/"}) {
      assertThat(DashPath.parse(path)).as(path).isNull();
    }
  }
}
