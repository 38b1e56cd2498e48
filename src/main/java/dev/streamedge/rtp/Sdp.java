package dev.streamedge.rtp;

import dev.streamedge.hls.ts.HevcParameterSets;
import dev.streamedge.media.codec.AvcConfig;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The session description (RFC 4566) an RTSP server answers DESCRIBE with, for a live stream: H.264 (RFC 6184
 * §8.1) or H.265 (RFC 7798 §7.1) video as track 0, AAC (RFC 3640 §3.3.6, AAC-hbr) audio as track 1. The track
 * ids are fixed so that SETUP URLs stay the same whatever the stream carries. Lines end with CRLF.
 */
public final class Sdp {

  /** The {@code a=control} of the video track, relative to the session's URL. */
  public static final String VIDEO_CONTROL = "trackID=0";
  /** The {@code a=control} of the audio track. */
  public static final String AUDIO_CONTROL = "trackID=1";
  private static final String CRLF = "\r\n";

  private Sdp() {
  }

  /**
   * @param originAddress the server's address for {@code o=}: IPv4, or IPv6 when it holds a colon
   * @param video null when the stream has no video to describe
   * @param audio null when it has no audio to describe
   */
  public static String describe(String sessionName, String originAddress, long sessionId, VideoTrack video,
      AudioTrack audio) {
    StringBuilder sdp = new StringBuilder(512);
    String addressType = originAddress.indexOf(':') >= 0 ? "IP6" : "IP4";
    line(sdp, "v=0");
    line(sdp, "o=- " + sessionId + " " + sessionId + " IN " + addressType + " " + originAddress);
    line(sdp, "s=" + (sessionName.isEmpty() ? " " : sessionName)); // s= must not be empty (RFC 4566 §5.3)
    line(sdp, "c=IN IP4 0.0.0.0");
    line(sdp, "t=0 0");
    line(sdp, "a=control:*");
    line(sdp, "a=range:npt=now-");
    if (video != null) {
      int pt = video.payloadType();
      line(sdp, "m=video 0 RTP/AVP " + pt);
      line(sdp, "a=rtpmap:" + pt + " " + video.encodingName() + "/" + RtpClock.VIDEO_CLOCK_RATE);
      line(sdp, "a=fmtp:" + pt + " " + (video.avc() != null ? h264Format(video.avc()) : h265Format(video.hevc())));
      line(sdp, "a=control:" + VIDEO_CONTROL);
    }
    if (audio != null && audio.g711()) {
      int pt = audio.payloadType();
      line(sdp, "m=audio 0 RTP/AVP " + pt);
      line(sdp, "a=rtpmap:" + pt + " " + audio.encodingName() + "/" + audio.clockRate()); // optional for 0 and 8
      line(sdp, "a=control:" + AUDIO_CONTROL);
    } else if (audio != null) {
      int pt = audio.payloadType();
      line(sdp, "m=audio 0 RTP/AVP " + pt);
      line(sdp, "a=rtpmap:" + pt + " mpeg4-generic/" + audio.clockRate()
          + (audio.channels() > 0 ? "/" + audio.channels() : ""));
      line(sdp, "a=fmtp:" + pt + " profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;"
          + "config=" + HexFormat.of().formatHex(audio.audioSpecificConfig()));
      line(sdp, "a=control:" + AUDIO_CONTROL);
    }
    return sdp.toString();
  }

  private static void line(StringBuilder sdp, String line) {
    sdp.append(line).append(CRLF);
  }

  /** packetization-mode, profile-level-id (the first SPS's bytes 1..3), sprop-parameter-sets: SPS then PPS. */
  static String h264Format(AvcConfig avc) {
    byte[] sps = avc.sps().get(0);
    StringBuilder format = new StringBuilder("packetization-mode=1");
    if (sps.length >= 4) {
      format.append(";profile-level-id=").append(HexFormat.of().withUpperCase().formatHex(sps, 1, 4));
    }
    List<byte[]> sets = new ArrayList<>(avc.sps());
    sets.addAll(avc.pps());
    return format.append(";sprop-parameter-sets=").append(base64(sets)).toString();
  }

  /** sprop-vps, sprop-sps and sprop-pps, each of the record's NAL units of that type. */
  static String h265Format(HevcParameterSets hevc) {
    List<String> parts = new ArrayList<>(3);
    String[] names = {"sprop-vps", "sprop-sps", "sprop-pps"};
    for (int type = 32; type <= 34; type++) {
      List<byte[]> ofType = new ArrayList<>();
      for (byte[] set : hevc.parameterSets()) {
        if (set.length >= 2 && (set[0] >> 1 & 0x3F) == type) {
          ofType.add(set);
        }
      }
      if (!ofType.isEmpty()) {
        parts.add(names[type - 32] + "=" + base64(ofType));
      }
    }
    return String.join(";", parts);
  }

  private static String base64(List<byte[]> nalUnits) {
    List<String> encoded = new ArrayList<>(nalUnits.size());
    for (byte[] nal : nalUnits) {
      encoded.add(Base64.getEncoder().encodeToString(nal));
    }
    return String.join(",", encoded);
  }
}
