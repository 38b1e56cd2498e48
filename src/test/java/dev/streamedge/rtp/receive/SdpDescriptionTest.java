package dev.streamedge.rtp.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Session descriptions (RFC 4566) as publishers announce them: ffmpeg's, GStreamer's, a camera's, the RFC's. */
@Tag("unit")
class SdpDescriptionTest {

  private static final Map<String, String> FFMPEG_AAC_FMTP = Map.of("profile-level-id", "1", "mode", "AAC-hbr",
      "sizelength", "13", "indexlength", "3", "indexdeltalength", "3", "config", "120856E500");

  @Test
  void ffmpegsH264AndAacAnnounce() throws Exception {
    List<SdpMedia> media = SdpDescription.parse(SdpSamples.FFMPEG_H264_AAC).media();
    assertThat(media).containsExactly(
        new SdpMedia("video", 96, "H264", 90000, 1, Map.of("packetization-mode", "1",
            "sprop-parameter-sets", "Z2QADazZQUH7ARAAAAMAEAAAAwMg8UKZYA==,aOvjyyLA", "profile-level-id", "64000D"),
            "streamid=0"),
        new SdpMedia("audio", 97, "MPEG4-GENERIC", 44100, 1, FFMPEG_AAC_FMTP, "streamid=1"));
    // The base64 survives the '=' in it: the SPS (type 7) and the PPS (type 8).
    String[] sets = media.get(0).fmtp().get("sprop-parameter-sets").split(",");
    assertThat(Base64.getDecoder().decode(sets[0])[0] & 0x1F).isEqualTo(7);
    assertThat(Base64.getDecoder().decode(sets[1])[0] & 0x1F).isEqualTo(8);
    assertThat(AacDepacketizer.fromFmtp(media.get(1).fmtp(), 8191, frame -> { })).isNotNull();
  }

  @Test
  void ffmpegsHevcAndAacAnnounce() throws Exception {
    List<SdpMedia> media = SdpDescription.parse(SdpSamples.FFMPEG_HEVC_AAC).media();
    assertThat(media).extracting(SdpMedia::encoding).containsExactly("H265", "MPEG4-GENERIC");
    assertThat(media.get(0).fmtp()).containsExactly(
        Map.entry("sprop-vps", "QAEMAf//AWAAAAMAkAAAAwAAAwA8lZgJ"),
        Map.entry("sprop-sps", "QgEBAWAAAAMAkAAAAwAAAwA8oAoIDxZZWaSTK8BaAgAAAwACAAADADIQ"),
        Map.entry("sprop-pps", "RAHBcrRiQA=="));
    assertThat(media).extracting(SdpMedia::control).containsExactly("streamid=0", "streamid=1");
  }

  @Test
  void ffmpegsSdpFileHasPortsAndNoControls() throws Exception {
    List<SdpMedia> media = SdpDescription.parse(SdpSamples.FFMPEG_RTP_SDP_FILE).media();
    assertThat(media).containsExactly(
        new SdpMedia("video", 96, "H264", 90000, 1, Map.of("packetization-mode", "1"), ""),
        new SdpMedia("audio", 97, "MPEG4-GENERIC", 44100, 1, FFMPEG_AAC_FMTP, ""));
  }

  @Test
  void aGstreamerStyleDescriptionWithLfLineEnds() throws Exception {
    List<SdpMedia> media = SdpDescription.parse(SdpSamples.GSTREAMER_STYLE).media();
    assertThat(media).extracting(SdpMedia::control).containsExactly("stream=0", "stream=1");
    assertThat(media.get(0).fmtp()).containsEntry("level-asymmetry-allowed", "1")
        .containsEntry("profile-level-id", "64000d");
    assertThat(media.get(1)).satisfies(audio -> {
      assertThat(audio.clockRate()).isEqualTo(48000);
      assertThat(audio.channels()).isEqualTo(2);
      assertThat(audio.fmtp()).containsEntry("config", "1190").containsEntry("indexdeltalength", "3");
    });
  }

  @Test
  void aCameraStyleDescriptionWithAbsoluteControlsAndAStaticAudioType() throws Exception {
    List<SdpMedia> media = SdpDescription.parse(SdpSamples.CAMERA_STYLE).media();
    assertThat(media).extracting(SdpMedia::type).containsExactly("video", "audio", "application");
    assertThat(media.get(0).control()).isEqualTo("rtsp://192.0.2.64:554/Streaming/Channels/101/trackID=1");
    assertThat(media.get(0).fmtp()).containsEntry("sprop-parameter-sets", "Z00AKpWoHgCJ+WEAAAMD6AAAw1AE,aO48gA==");
    // PT 8 without an rtpmap: RFC 3551's PCMA, 8000 Hz, mono.
    assertThat(media.get(1)).isEqualTo(new SdpMedia("audio", 8, "PCMA", 8000, 1, Map.of(),
        "rtsp://192.0.2.64:554/Streaming/Channels/101/trackID=2"));
    assertThat(media.get(2).encoding()).isEqualTo("VND.ONVIF.METADATA");
  }

  @Test
  void theRfcsExample() throws Exception {
    assertThat(SdpDescription.parse(SdpSamples.RFC_4566_EXAMPLE).media()).containsExactly(
        new SdpMedia("audio", 0, "PCMU", 8000, 1, Map.of(), ""),
        new SdpMedia("video", 99, "H263-1998", 90000, 1, Map.of(), ""));
  }

  @ParameterizedTest(name = "payload type {0}")
  @CsvSource({
      "0, PCMU, 8000, 1",
      "8, PCMA, 8000, 1",
      "9, G722, 8000, 1",
      "10, L16, 44100, 2",
      "14, MPA, 90000, 1",
      "18, G729, 8000, 1",
      "26, JPEG, 90000, 1",
      "32, MPV, 90000, 1",
      "33, MP2T, 90000, 1",
      "2, '', 0, 1",
      "96, '', 0, 1",
  })
  void staticPayloadTypesWithoutAnRtpmapGetRfc3551sDefaults(int payloadType, String encoding, int clockRate,
      int channels) throws Exception {
    SdpMedia media = SdpDescription.parse("v=0\r\nm=audio 0 RTP/AVP " + payloadType + "\r\n").media().get(0);
    assertThat(media).isEqualTo(new SdpMedia("audio", payloadType, encoding, clockRate, channels, Map.of(), ""));
  }

  @Test
  void fmtpKeysAreLowerCasedValuesTrimmedAndSplitAtTheFirstEquals() throws Exception {
    SdpMedia media = SdpDescription.parse("v=0\nm=video 0 RTP/AVP 96\n"
        + "a=fmtp:96  Packetization-Mode = 1 ;sprop-parameter-sets=Z0IAH5WoFAFuQA==,aM48gA==;;flag; SizeLength=13\n")
        .media().get(0);
    assertThat(media.fmtp()).containsExactly(Map.entry("packetization-mode", "1"),
        Map.entry("sprop-parameter-sets", "Z0IAH5WoFAFuQA==,aM48gA=="), Map.entry("flag", ""),
        Map.entry("sizelength", "13"));
    assertThatThrownBy(() -> media.fmtp().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void onlyTheFirstPayloadTypesRtpmapAndFmtpAreTaken() throws Exception {
    SdpMedia media = SdpDescription.parse("v=0\r\nm=video 5004/2 RTP/AVP 97 96 26\r\n"
        + "a=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\n"
        + "a=rtpmap:97 H265/90000\r\na=rtpmap:97 VP8/90000\r\na=fmtp:97 sprop-max-don-diff=0\r\n").media().get(0);
    assertThat(media).isEqualTo(new SdpMedia("video", 97, "H265", 90000, 1, Map.of("sprop-max-don-diff", "0"), ""));
  }

  @Test
  void sessionLevelLinesAndGarbageAreLeftAlone() throws Exception {
    String sdp = "junk before\r\nv=0\r\n\r\n   \r\n=x\r\nx\r\na=control:rtsp://host/live\r\n"
        + "a=rtpmap:96 H264/90000\r\n\u0000\u00ff garbage\r\n"
        + "m=audio 0 RTP/AVP 97\r\na=\r\na=rtpmap:97\r\na=rtpmap:97 OPUS\r\na=rtpmap:97 OPUS/abc/2\r\n"
        + "a=fmtp:97\r\na=fmtp:x y=1\r\na=control:\r\n  a=rtpmap:97 opus/48000/2  \r\nm=audio 0 RTP/AVP 0";
    List<SdpMedia> media = SdpDescription.parse(sdp).media();
    assertThat(media).containsExactly(new SdpMedia("audio", 97, "OPUS", 48000, 2, Map.of(), ""),
        new SdpMedia("audio", 0, "PCMU", 8000, 1, Map.of(), ""));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "nothing | ''",
      "no v= line | o=- 0 0 IN IP4 0.0.0.0\\nm=video 0 RTP/AVP 96\\n",
      "m= of one field | v=0\\nm=video\\n",
      "m= without a format | v=0\\nm=video 0 RTP/AVP\\n",
      "m= with a port that is no number | v=0\\nm=video x RTP/AVP 96\\n",
      "m= with a port past 65535 | v=0\\nm=video 70000 RTP/AVP 96\\n",
      "m= with a broken port count | v=0\\nm=video 0/x RTP/AVP 96\\n",
      "m= with payload type 128 | v=0\\nm=video 0 RTP/AVP 128\\n",
      "m= with a format that is no number | v=0\\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\\n",
  })
  void descriptionsWithoutAVersionOrWithABrokenMediaLineAreRefused(String what, String sdp) {
    String text = sdp.replace("\\n", "\r\n");
    assertThatThrownBy(() -> SdpDescription.parse(text)).isInstanceOf(RtpFormatException.class);
  }

  @Test
  void atMost64MediaSections() throws Exception {
    String section = "m=audio 0 RTP/AVP 0\r\na=control:track\r\n";
    assertThat(SdpDescription.parse("v=0\r\n" + section.repeat(64)).media()).hasSize(64);
    assertThatThrownBy(() -> SdpDescription.parse("v=0\r\n" + section.repeat(65)))
        .isInstanceOf(RtpFormatException.class).hasMessageContaining("64");
  }

  @Test
  void atMost64FormatParametersAMediaSection() throws Exception {
    StringBuilder fmtp = new StringBuilder("a=fmtp:96 ");
    for (int i = 0; i < 70; i++) {
      fmtp.append("k").append(i).append('=').append(i).append(';');
    }
    SdpMedia media = SdpDescription.parse("v=0\nm=video 0 RTP/AVP 96\n" + fmtp + "\na=fmtp:96 k0=again\n")
        .media().get(0);
    assertThat(media.fmtp()).hasSize(64).containsEntry("k63", "63").doesNotContainKey("k64")
        .containsEntry("k0", "again");
  }

  @Test
  void theMediaListIsUnmodifiable() throws Exception {
    List<SdpMedia> media = SdpDescription.parse(SdpSamples.FFMPEG_H264_AAC).media();
    assertThatThrownBy(() -> media.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(SdpDescription.parse("v=0\r\n").media()).isEmpty();
  }
}
