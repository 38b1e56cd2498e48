package dev.streamedge.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The stream id forms of MediaMTX's, SRS's (the SRT access-control syntax) and OvenMediaEngine's guides. */
@Tag("unit")
class StreamIdRequestTest {

  private static StreamIdRequest parse(String streamId) {
    return StreamIdRequest.parse(streamId, "live");
  }

  @Test
  void mediamtxFormsPublishAndRead() {
    assertThat(parse("publish:live/test")).isEqualTo(new StreamIdRequest(false, "live", "test", ""));
    assertThat(parse("read:cams/door")).isEqualTo(new StreamIdRequest(true, "cams", "door", ""));
    assertThat(parse("play:cams/door")).isEqualTo(new StreamIdRequest(true, "cams", "door", ""));
    assertThat(parse("publish:test")).as("one name: the default app").isEqualTo(
        new StreamIdRequest(false, "live", "test", ""));
    assertThat(parse("PUBLISH:live/test").play()).isFalse();
  }

  @Test
  void aQueryGoesToAuth() {
    assertThat(parse("publish:live/test?key=s3cret&x=1")).isEqualTo(
        new StreamIdRequest(false, "live", "test", "key=s3cret&x=1"));
  }

  @Test
  void theAccessControlSyntaxOfSrsAndLibsrt() {
    assertThat(parse("#!::r=live/livestream,m=publish")).isEqualTo(
        new StreamIdRequest(false, "live", "livestream", ""));
    assertThat(parse("#!::h=example.com,r=live/livestream?key=k,m=publish,u=admin")).isEqualTo(
        new StreamIdRequest(false, "live", "livestream", "key=k"));
    assertThat(parse("#!::r=live/livestream").play()).as("m defaults to request").isTrue();
    assertThat(parse("#!::m=request,r=live/x").play()).isTrue();
  }

  @Test
  void aBarePathOrAUrlPublishes() {
    assertThat(parse("live/test")).isEqualTo(new StreamIdRequest(false, "live", "test", ""));
    assertThat(parse("/live/test")).isEqualTo(new StreamIdRequest(false, "live", "test", ""));
    assertThat(parse("srt://example.com:9999/app/stream?key=k")).isEqualTo(
        new StreamIdRequest(false, "app", "stream", "key=k"));
  }

  @Test
  void whatNamesNoStreamIsRefusedWithTheReason() {
    assertThatThrownBy(() -> parse("")).hasMessageContaining("no stream id");
    assertThatThrownBy(() -> parse(null)).hasMessageContaining("no stream id");
    assertThatThrownBy(() -> parse("publish:live/..")).hasMessageContaining("app/name");
    assertThatThrownBy(() -> parse("publish:a/b/c")).hasMessageContaining("app/name");
    assertThatThrownBy(() -> parse("publish:live/")).hasMessageContaining("app/name");
    assertThatThrownBy(() -> parse("#!::m=publish")).hasMessageContaining("no resource");
    assertThatThrownBy(() -> parse("#!::r=live/x,m=bidirectional")).hasMessageContaining("mode");
    assertThatThrownBy(() -> parse("#!::garbage")).hasMessageContaining("key=value");
    assertThatThrownBy(() -> parse("srt://host-without-path")).hasMessageContaining("no path");
    assertThatThrownBy(() -> parse("publish:live/te st")).hasMessageContaining("app/name");
  }
}
