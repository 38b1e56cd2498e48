package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.http.DashPath.Kind;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  private static final Pattern MANIFEST = Pattern.compile("/dash/(?:([^/]+)/)?([^/]+)\\.mpd");
  private static final Pattern MEDIA = Pattern.compile(
      "/dash/(?:([^/]+)/)?([^/]+)/(\\d{1,18})-(init|\\d{1,18})\\.(m4v|m4a)");

  /** What the URL patterns of docs/playback.md make of {@code path}, in {@link #read}'s words. */
  private static String reference(String path) {
    Matcher m = MANIFEST.matcher(path);
    if (m.matches()) {
      return String.join(" ", "MANIFEST", m.group(1) == null ? "live" : m.group(1), m.group(2), "-1", "-1", "false");
    }
    m = MEDIA.matcher(path);
    if (!m.matches()) {
      return null;
    }
    boolean init = m.group(4).equals("init");
    return String.join(" ", init ? "INIT" : "MEDIA", m.group(1) == null ? "live" : m.group(1), m.group(2),
        String.valueOf(Long.parseLong(m.group(3))), init ? "-1" : String.valueOf(Long.parseLong(m.group(4))),
        String.valueOf(m.group(5).equals("m4v")));
  }

  private static String read(DashPath path) {
    return path == null ? null : String.join(" ", path.kind().name(), path.app(), path.name(),
        String.valueOf(path.run()), String.valueOf(path.time()), String.valueOf(path.video()));
  }

  @Test
  void readsRandomPathsAsTheUrlPatternsDo() {
    String[] tokens = {"/", "/", "/dash/", "live", "tv", "init", "-", "--", "0", "7", "123", "1234567890123456789",
        ".mpd", ".m4v", ".m4a", ".mp4", "x", ".", "\u0661", "-init"};
    SplittableRandom random = new SplittableRandom(23009);
    int read = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder path = new StringBuilder(random.nextInt(10) == 0 ? "/" : "/dash/");
      int count = random.nextInt(1, 7);
      for (int j = 0; j < count; j++) {
        path.append(tokens[random.nextInt(tokens.length)]);
      }
      String candidate = path.toString();
      DashPath parsed = DashPath.parse(candidate);
      assertThat(read(parsed)).as(candidate).isEqualTo(reference(candidate));
      read += parsed == null ? 0 : 1;
    }
    // The generator reaches the forms, not only garbage.
    assertThat(read).isGreaterThan(2_000);
  }
}
