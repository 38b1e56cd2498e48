package dev.streamedge.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamKey;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Recording names: {@code <app>/<key>-<UTC start>.flv} or {@code .mp4}, parsed back only from exactly that form. */
@Tag("unit")
class RecordingNameTest {

  @Test
  void aNameIsTheKeyAndTheUtcStartInTheAppsDirectoryAndParsesBack() {
    RecordingName name = RecordingName.of(new StreamKey("live", "cam-1_a.b~"), Instant.parse("2026-12-02T13:55:27.123456Z"),
        RecordFormat.FLV);

    assertThat(name.file()).isEqualTo("cam-1_a.b~-20261202T135527.123Z.flv");
    assertThat(name).hasToString("live/cam-1_a.b~-20261202T135527.123Z.flv");
    assertThat(RecordingName.parse("live", name.file())).contains(name);
  }

  @Test
  void aFragmentedMp4RecordingEndsInMp4AndParsesBackAsOne() {
    RecordingName name = RecordingName.of(new StreamKey("live", "cam1"), Instant.parse("2026-12-02T13:55:27.123Z"),
        RecordFormat.FMP4);

    assertThat(name).hasToString("live/cam1-20261202T135527.123Z.mp4");
    assertThat(RecordingName.parse("live", name.file())).contains(name);
    assertThat(RecordingName.parse("live", name.file()).orElseThrow().format().contentType()).isEqualTo("video/mp4");
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ..    | cam-20261202T135527.123Z.flv
      .     | cam-20261202T135527.123Z.flv
      live  | ../cam-20261202T135527.123Z.flv
      live  | ..-20261202T135527.123Z.flv
      live  | a/b-20261202T135527.123Z.flv
      a/b   | cam-20261202T135527.123Z.flv
      live  | cam-20261202T135527.123Z.flv.mp4
      live  | cam-20261202T135527.123Z.mp4.flv
      live  | cam-20261202T135527.123Z.m4s
      live  | cam-20261302T135527.123Z.flv
      live  | cam-20261202T135527Z.flv
      live  | -20261202T135527.123Z.flv
      live  | /etc/passwd
      ''    | cam-20261202T135527.123Z.flv
      """)
  void anythingElseIsNotARecordingName(String app, String file) {
    assertThat(RecordingName.parse(app, file)).isEmpty();
  }
}
