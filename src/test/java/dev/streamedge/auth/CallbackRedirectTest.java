package dev.streamedge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.auth.CallbackAnswer.Verdict;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * nginx-rtmp's on_play redirect and on_publish rename: a callback's 3xx with an RTMP {@code Location} is a
 * redirect to pull from, with a stream name a rename; a 3xx with anything else refuses, and a 2xx allows
 * whatever its headers.
 */
@Tag("unit")
class CallbackRedirectTest {

  @ParameterizedTest
  @CsvSource(nullValues = "none", textBlock = """
      302 | rtmp://origin.example/live/cam         | REDIRECT
      301 | rtmps://origin.example:443/live/cam    | REDIRECT
      307 | RTMPT://origin.example/live/cam        | REDIRECT
      302 | rtmpte://origin.example/live/cam?t=1   | REDIRECT
      302 | http://origin.example/live/cam         | DENY
      302 | cam2                                   | RENAME
      307 | alice.main_720p-1~                     | RENAME
      302 | ../cam2                                | DENY
      302 | live/cam2                              | DENY
      302 | cam 2                                  | DENY
      302 | none                                   | DENY
      303 | rtmpx://origin.example/live/cam        | DENY
      302 | rtmp://origin.example/cam              | DENY
      302 | rtmp://origin.example/live/            | DENY
      302 | rtmp:///live/cam                       | DENY
      200 | rtmp://origin.example/live/cam         | ALLOW
      404 | rtmp://origin.example/live/cam         | DENY
      """, delimiter = '|')
  void aThreeHundredWithAnRtmpLocationIsARedirectWithAStreamNameARenameAndAnythingElseIsNot(int status, String location, Verdict verdict) {
    CallbackAnswer answer = CallbackAnswer.ofResponse(status, location);
    assertThat(answer.verdict()).isEqualTo(verdict);
    assertThat(answer.location()).isEqualTo(verdict == Verdict.REDIRECT || verdict == Verdict.RENAME ? location : "");
  }
}
