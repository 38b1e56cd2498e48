package dev.streamedge.vod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.config.ByteSize;
import dev.streamedge.config.VodConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class VodLibraryTest {

  private final VodLibrary library = new VodLibrary(new VodConfig("vod=/srv/flv; rec=recordings/live", 2,
      ByteSize.ofMiB(32)));

  @Test
  void aNameIsAnFlvFileOfItsAppsDirectoryWithOrWithoutItsExtension() {
    assertThat(library.serves("vod")).isTrue();
    assertThat(library.serves("live")).isFalse();
    assertThat(library.file("vod", "movie")).isEqualTo(Path.of("/srv/flv/movie.flv"));
    assertThat(library.file("vod", "movie.flv")).isEqualTo(Path.of("/srv/flv/movie.flv"));
    assertThat(library.file("vod", "movie.FLV")).isEqualTo(Path.of("/srv/flv/movie.FLV"));
    // A recording's name as ffmpeg sends it, ".flv" taken off and the time's dot kept.
    assertThat(library.file("rec", "cam1-20261202T135527.123Z"))
        .isEqualTo(Path.of("recordings/live/cam1-20261202T135527.123Z.flv"));
    assertThat(library.file("live", "movie")).isNull();
  }

  @Test
  void anMp4NameKeepsItsExtensionAndLosesTheFormatPrefixFfmpegSends() {
    // ffmpeg plays rtmp://host/vod/movie.mp4 as "mp4:movie.mp4" (Flash Media Server's form).
    assertThat(VodLibrary.withoutPrefix("mp4:movie.mp4")).isEqualTo("movie.mp4");
    assertThat(VodLibrary.withoutPrefix("MP4:movie.m4v?token=1")).isEqualTo("movie.m4v?token=1");
    assertThat(VodLibrary.withoutPrefix("flv:movie")).isEqualTo("movie");
    assertThat(VodLibrary.withoutPrefix("movie.mp4")).isEqualTo("movie.mp4");
    assertThat(library.file("vod", "movie.mp4")).isEqualTo(Path.of("/srv/flv/movie.mp4"));
    assertThat(library.file("vod", "clip.MOV")).isEqualTo(Path.of("/srv/flv/clip.MOV"));
    assertThat(library.file("vod", "movie.mp4.part")).isEqualTo(Path.of("/srv/flv/movie.mp4.part.flv"));
    assertThat(library.maxIndexBytes()).isEqualTo(32 << 20);
  }

  @Test
  void playsBeyondMaxSessionsAreNotAdmittedUntilOneEnds() {
    assertThat(library.admit()).isTrue();
    assertThat(library.admit()).isTrue();
    assertThat(library.admit()).isFalse();
    assertThat(library.sessions()).isEqualTo(2);
    library.release();
    assertThat(library.admit()).isTrue();
  }
}
