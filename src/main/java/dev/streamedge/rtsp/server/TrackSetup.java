package dev.streamedge.rtsp.server;

import dev.streamedge.rtsp.RtspFormatException;
import dev.streamedge.rtsp.TransportSpec;

/**
 * The tracks of one RTSP session as its SETUPs chose them (RFC 2326 §10.4): which of the described tracks (0
 * video, 1 audio) the client set up, on which interleaved channels (§10.12). Only RTP over TCP is served; a SETUP
 * asking for anything else is answered 461, upon which ffmpeg and GStreamer ask again for TCP.
 */
final class TrackSetup {

  /** What a SETUP is answered: a status, and for 200 the Transport header's value. */
  record Answer(int status, String transport) {
  }

  private final TrackProbe.Tracks tracks;
  /** The interleaved RTP channel of each track, -1 until set up. */
  private final int[] channels = {-1, -1};

  TrackSetup(TrackProbe.Tracks tracks) {
    this.tracks = tracks;
  }

  /** Sets {@code track} up as {@code transportHeader} (null when absent) asks, for the session of {@code ssrcs}. */
  Answer setup(int track, String transportHeader, long ssrc) {
    boolean described = track == 0 ? tracks.avc() != null || tracks.hevc() != null
        : track == 1 && tracks.audio() != null;
    if (!described) {
      return new Answer(404, null);
    }
    TransportSpec chosen;
    try {
      chosen = TransportSpec.parseAll(transportHeader == null ? "" : transportHeader).stream()
          .filter(spec -> spec.rtpOverTcp() && spec.unicast() && "play".equals(spec.mode()))
          .findFirst().orElse(null);
    } catch (RtspFormatException bad) {
      return new Answer(400, null);
    }
    if (chosen == null) {
      return new Answer(461, null);
    }
    // A client that names no channels gets the usual pairs: 0-1 for video, 2-3 for audio.
    int rtp = chosen.interleavedRtp() >= 0 ? chosen.interleavedRtp() : 2 * track;
    int rtcp = chosen.interleavedRtp() >= 0 ? chosen.interleavedRtcp() : rtp + 1;
    int other = channels[1 - track];
    if (rtp > 255 || rtcp > 255 || other >= 0 && (rtp == other || rtp == other + 1 || rtcp == other
        || rtcp == other + 1)) {
      return new Answer(461, null); // the other track's channels: the client must pick others
    }
    channels[track] = rtp;
    return new Answer(200, chosen.withInterleaved(rtp, rtcp).answer(ssrc));
  }

  /** The RTP payload type of the described audio (AAC's dynamic one, or G.711's static), -1 without audio. */
  int audioPayloadType() {
    return tracks.audio() == null ? -1 : tracks.audio().payloadType();
  }

  /** Whether any track was set up: a PLAY before that is out of order. */
  boolean any() {
    return channels[0] >= 0 || channels[1] >= 0;
  }

  /** The interleaved RTP channel of {@code track}, -1 when not set up. */
  int channel(int track) {
    return channels[track];
  }
}
