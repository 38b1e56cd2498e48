package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamKey;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class HlsSessionHookTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      /hls/test.m3u8                 | live/test
      /hls/cams/door.m3u8            | cams/door
      /hls/cams/door/fmp4.m3u8       | cams/door
      /hls/cams/door/ts.m3u8         | cams/door
      /hls/cams/door/ll.m3u8         | cams/door
      /hls/test/1234.ts              | NULL
      /hls/cams/door/1234.m4s        | NULL
      /hls/cams/door/p12.m4s         | NULL
      /hls/a/b/c/d.m3u8              | NULL
      /hls/.m3u8                     | NULL
      /hls/bad name/x.m3u8           | NULL
      /live/test.flv                 | NULL
      """)
  void onlyPlaylistsOfValidStreamsCountASession(String path, String expected) {
    StreamKey key = HlsSessionHook.counted(HlsPath.parse(path));
    assertThat(key == null ? null : key.toString()).isEqualTo(expected);
  }
}
