package dev.streamedge.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.hls.ts.HevcParameterSets;
import dev.streamedge.media.codec.AacConfig;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The session description of DESCRIBE (RFC 4566), text for text. */
@Tag("unit")
class SdpTest {

  /** AAC LC, 44.1 kHz, stereo: AudioSpecificConfig 12 10. */
  static final AacConfig AAC = new AacConfig(2, 4, 44100, 2);

  private static final String SESSION = "v=0\r\n"
      + "o=- 1234567890 1234567890 IN IP4 192.0.2.10\r\n"
      + "s=live/cam1\r\n"
      + "c=IN IP4 0.0.0.0\r\n"
      + "t=0 0\r\n"
      + "a=control:*\r\n"
      + "a=range:npt=now-\r\n";

  private static final String AUDIO = "m=audio 0 RTP/AVP 97\r\n"
      + "a=rtpmap:97 mpeg4-generic/44100/2\r\n"
      + "a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=1210\r\n"
      + "a=control:trackID=1\r\n";

  @Test
  void h264AndAacAreTracksZeroAndOne() {
    String sdp = Sdp.describe("live/cam1", "192.0.2.10", 1234567890L, VideoTrack.h264(H264PacketizerTest.CONFIG),
        AudioTrack.aac(AAC, HexFormat.of().parseHex("1210")));
    // profile-level-id: the SPS's profile_idc 0x64, constraint flags 0x00, level_idc 0x1e.
    assertThat(sdp).isEqualTo(SESSION
        + "m=video 0 RTP/AVP 96\r\n"
        + "a=rtpmap:96 H264/90000\r\n"
        + "a=fmtp:96 packetization-mode=1;profile-level-id=64001E;"
        + "sprop-parameter-sets=Z2QAHqzZQKAv+XARAAADAAEAAAMAMg8WLZY=,aOvjyyLA\r\n"
        + "a=control:trackID=0\r\n"
        + AUDIO);
  }

  @Test
  void h265OnlyGivesItsVpsSpsAndPps() throws Exception {
    HevcParameterSets hevc = HevcParameterSets.of(HexFormat.of().parseHex(H265PacketizerTest.HVCC));
    String sdp = Sdp.describe("live/cam1", "192.0.2.10", 1234567890L, VideoTrack.h265(hevc), null);
    assertThat(sdp).isEqualTo(SESSION
        + "m=video 0 RTP/AVP 96\r\n"
        + "a=rtpmap:96 H265/90000\r\n"
        + "a=fmtp:96 sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwA8lZAJ;"
        + "sprop-sps=QgEBAWAAAAMAkAAAAwAAAwA8oAoIDxZZWRKTC8BaAgAAAwACAAADADIQ;sprop-pps=RAHAc8GJ\r\n"
        + "a=control:trackID=0\r\n");
  }

  @Test
  void g711IsItsStaticPayloadTypeWithItsRtpmap() {
    assertThat(Sdp.describe("live/cam1", "192.0.2.10", 1234567890L, null, AudioTrack.g711(false))).isEqualTo(SESSION
        + "m=audio 0 RTP/AVP 0\r\n"
        + "a=rtpmap:0 PCMU/8000\r\n"
        + "a=control:trackID=1\r\n");
    assertThat(Sdp.describe("live/cam1", "192.0.2.10", 1234567890L, null, AudioTrack.g711(true)))
        .contains("m=audio 0 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n");
  }

  @Test
  void audioOnlyKeepsTrackIdOne() {
    String sdp = Sdp.describe("live/cam1", "192.0.2.10", 1234567890L, null, AudioTrack.aac(AAC));
    assertThat(sdp).isEqualTo(SESSION + AUDIO);
  }

  @Test
  void anIpv6OriginAndSevenPointOneAudio() {
    AacConfig surround = new AacConfig(2, 3, 48000, 7);
    String sdp = Sdp.describe("x", "2001:db8::1", 1, null, AudioTrack.aac(surround));
    assertThat(sdp).contains("o=- 1 1 IN IP6 2001:db8::1\r\n")
        .contains("a=rtpmap:97 mpeg4-generic/48000/8\r\n")
        .contains(";config=11b8\r\n");
  }
}
