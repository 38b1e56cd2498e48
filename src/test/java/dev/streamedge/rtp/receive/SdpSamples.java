package dev.streamedge.rtp.receive;

/**
 * Session descriptions as publishers announce them, for {@link SdpDescriptionTest}: ffmpeg's as captured from a
 * fake RTSP server's ANNOUNCE, and others written in the way of GStreamer, of an IP camera, and of RFC 4566.
 */
final class SdpSamples {

  /** ffmpeg 8.0.1's ANNOUNCE for {@code -c:v libx264 -c:a aac -f rtsp} (testsrc2 320x240, sine), as sent. */
  static final String FFMPEG_H264_AAC = crlf("""
      v=0
      o=- 0 0 IN IP4 127.0.0.1
      s=No Name
      c=IN IP4 127.0.0.1
      t=0 0
      a=tool:libavformat 62.3.100
      m=video 0 RTP/AVP 96
      a=framerate:25
      a=rtpmap:96 H264/90000
      a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z2QADazZQUH7ARAAAAMAEAAAAwMg8UKZYA==,aOvjyyLA; \
      profile-level-id=64000D
      a=control:streamid=0
      m=audio 0 RTP/AVP 97
      b=AS:69
      a=rtpmap:97 MPEG4-GENERIC/44100/1
      a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; config=120856E500
      a=control:streamid=1
      """);

  /** ffmpeg 8.0.1's ANNOUNCE for {@code -c:v libx265 -c:a aac -f rtsp}. */
  static final String FFMPEG_HEVC_AAC = crlf("""
      v=0
      o=- 0 0 IN IP4 127.0.0.1
      s=No Name
      c=IN IP4 127.0.0.1
      t=0 0
      a=tool:libavformat 62.3.100
      m=video 0 RTP/AVP 96
      a=framerate:25
      a=rtpmap:96 H265/90000
      a=fmtp:96 sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwA8lZgJ; \
      sprop-sps=QgEBAWAAAAMAkAAAAwAAAwA8oAoIDxZZWaSTK8BaAgAAAwACAAADADIQ; sprop-pps=RAHBcrRiQA==
      a=control:streamid=0
      m=audio 0 RTP/AVP 97
      b=AS:69
      a=rtpmap:97 MPEG4-GENERIC/44100/1
      a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; config=120856E500
      a=control:streamid=1
      """);

  /** ffmpeg 8.0.1's {@code -sdp_file} for two {@code -f rtp} outputs: ports, a c= per media, no control. */
  static final String FFMPEG_RTP_SDP_FILE = crlf("""
      v=0
      o=- 0 0 IN IP4 127.0.0.1
      s=No Name
      t=0 0
      a=tool:libavformat 62.3.100
      m=video 5004 RTP/AVP 96
      c=IN IP4 127.0.0.1
      a=framerate:25
      a=rtpmap:96 H264/90000
      a=fmtp:96 packetization-mode=1
      m=audio 5006 RTP/AVP 97
      c=IN IP4 127.0.0.1
      b=AS:69
      a=rtpmap:97 MPEG4-GENERIC/44100/1
      a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; config=120856E500
      """);

  /** In the way of GStreamer's rtspclientsink: LF line ends, session-level control, controls stream=N. */
  static final String GSTREAMER_STYLE = """
      v=0
      o=- 1188340656180883 1 IN IP4 127.0.0.1
      s=Session streamed with GStreamer
      i=rtsp-server
      t=0 0
      a=tool:GStreamer
      a=type:broadcast
      a=control:*
      a=range:npt=0-
      m=video 0 RTP/AVP 96
      c=IN IP4 0.0.0.0
      a=rtpmap:96 H264/90000
      a=framerate:25
      a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z2QADazZQUH7ARAAAAMAEAAAAwMg8UKZYA==,aOvjyyLA;\
      profile-level-id=64000d;level-asymmetry-allowed=1
      a=control:stream=0
      a=ts-refclk:local
      a=mediaclk:sender
      m=audio 0 RTP/AVP 97
      c=IN IP4 0.0.0.0
      a=rtpmap:97 MPEG4-GENERIC/48000/2
      a=fmtp:97 streamtype=5;profile-level-id=2;mode=AAC-hbr;config=1190;sizelength=13;indexlength=3;\
      indexdeltalength=3
      a=control:stream=1
      a=ts-refclk:local
      a=mediaclk:sender
      """;

  /** In the way of an IP camera: absolute controls, vendor lines, G.711 A-law by its static type, metadata. */
  static final String CAMERA_STYLE = crlf("""
      v=0
      o=- 1700000000000000 1 IN IP4 192.0.2.64
      s=Media Presentation
      e=NONE
      b=AS:5050
      t=0 0
      a=control:rtsp://192.0.2.64:554/Streaming/Channels/101/
      m=video 0 RTP/AVP 96
      c=IN IP4 0.0.0.0
      b=AS:5000
      a=recvonly
      a=x-dimensions:1920,1080
      a=control:rtsp://192.0.2.64:554/Streaming/Channels/101/trackID=1
      a=rtpmap:96 H264/90000
      a=fmtp:96 profile-level-id=420029; packetization-mode=1; sprop-parameter-sets=Z00AKpWoHgCJ+WEAAAMD6AAAw1AE,aO48gA==
      a=Media_header:MEDIAINFO=494D4B48010100000400010010710110401F000000FA000000000000000000000000000000000000;
      a=appversion:1.0
      m=audio 0 RTP/AVP 8
      c=IN IP4 0.0.0.0
      b=AS:50
      a=recvonly
      a=control:rtsp://192.0.2.64:554/Streaming/Channels/101/trackID=2
      m=application 0 RTP/AVP 107
      c=IN IP4 0.0.0.0
      a=control:rtsp://192.0.2.64:554/Streaming/Channels/101/trackID=3
      a=rtpmap:107 vnd.onvif.metadata/90000
      """);

  /** RFC 4566 §5's example. */
  static final String RFC_4566_EXAMPLE = crlf("""
      v=0
      o=jdoe 2890844526 2890842807 IN IP4 10.47.16.5
      s=SDP Seminar
      i=A Seminar on the session description protocol
      u=http://www.example.com/seminars/sdp.pdf
      e=j.doe@example.com (Jane Doe)
      c=IN IP4 224.2.17.12/127
      t=2873397496 2873404696
      a=recvonly
      m=audio 49170 RTP/AVP 0
      m=video 51372 RTP/AVP 99
      a=rtpmap:99 h263-1998/90000
      """);

  private static String crlf(String lf) {
    return lf.replace("\n", "\r\n");
  }

  private SdpSamples() {
  }
}
