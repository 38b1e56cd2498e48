package dev.streamedge.rtsp.client;

import dev.streamedge.rtp.receive.FlvFromRtp;
import dev.streamedge.rtsp.InterleavedFrame;
import dev.streamedge.rtsp.RtspFormatException;
import dev.streamedge.rtsp.TransportSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tracks a play session sets up, one SETUP each in SDP order, and what each interleaved channel then carries
 * (RFC 2326 §10.12): the client asks for channels 2k and 2k+1 for its k-th track, the server may answer with others
 * (§12.39), and those are the ones read. Over UDP ({@link #overUdp}) the client asks for its ports instead, and
 * their sockets deliver; a server that answers with interleaved channels all the same is read on those.
 */
final class TrackChannels {

  /** A channel's entry for RTCP: the media index plus this. */
  private static final int RTCP = 0x100;
  private static final int UNUSED = -1;

  /** The SDP media indexes set up, in order. */
  private final List<Integer> tracks;
  /** What each channel carries: a media index (RTP), a media index + {@link #RTCP}, or unused. */
  private final int[] channels = new int[256];
  private int next;
  private boolean udp;

  TrackChannels(List<Integer> tracks) {
    this.tracks = List.copyOf(tracks);
    Arrays.fill(channels, UNUSED);
  }

  /** The tracks of an SDP's {@code mediaCount} media that {@code flv} reads. */
  static TrackChannels of(FlvFromRtp flv, int mediaCount) {
    List<Integer> read = new ArrayList<>();
    for (int i = 0; i < mediaCount; i++) {
      if (flv.reads(i)) {
        read.add(i);
      }
    }
    return new TrackChannels(read);
  }

  /** The SDP media index of the track the next SETUP is for. */
  int track() {
    return tracks.get(next);
  }

  /** The Transport header the next SETUP asks with over TCP. */
  String transportAsked() {
    return "RTP/AVP/TCP;unicast;interleaved=" + 2 * next + "-" + (2 * next + 1);
  }

  /** The Transport header the next SETUP asks with over UDP, for RTP to {@code port} and RTCP to the next. */
  String transportAsked(int port) {
    return "RTP/AVP;unicast;client_port=" + port + "-" + (port + 1);
  }

  /** Whether no track has been set up yet: the first SETUP's refusal of TCP may be tried again over UDP. */
  boolean atFirst() {
    return next == 0;
  }

  /** From now on the SETUPs ask for RTP over UDP. */
  void overUdp() {
    udp = true;
  }

  boolean udp() {
    return udp;
  }

  /**
   * Reads the server's answer to the current SETUP (its Transport header, or null: the channels asked) and moves
   * to the next track; returns whether there is one.
   *
   * @throws RtspFormatException when a TCP session's answer names RTP over UDP, channels past 255, or does not parse
   */
  boolean answered(String transport) throws RtspFormatException {
    int rtp = 2 * next;
    int rtcp = rtp + 1;
    List<TransportSpec> chosen = transport == null ? List.of() : TransportSpec.parseAll(transport);
    if (udp && (chosen.isEmpty() || !chosen.get(0).tcp())) {
      next++; // the track's sockets deliver
      return next < tracks.size();
    }
    if (!chosen.isEmpty()) {
      if (!chosen.get(0).tcp()) {
        throw new RtspFormatException("the source answered with a transport over UDP: " + transport);
      }
      if (chosen.get(0).interleavedRtp() >= 0) {
        rtp = chosen.get(0).interleavedRtp();
        rtcp = chosen.get(0).interleavedRtcp();
      }
    }
    if (rtp < 0 || rtp > 255 || rtcp < 0 || rtcp > 255) {
      throw new RtspFormatException("channels out of range: " + transport);
    }
    channels[rtp] = track();
    channels[rtcp] = track() | RTCP;
    next++;
    return next < tracks.size();
  }

  /** An interleaved frame to {@code flv}: RTP or RTCP of the track its channel carries; dropped on another. */
  void deliver(InterleavedFrame frame, FlvFromRtp flv, long arrivalMillis) {
    int entry = channels[frame.channel()];
    if (entry == UNUSED) {
      return;
    }
    if ((entry & RTCP) != 0) {
      flv.rtcp(entry & ~RTCP, frame.data(), arrivalMillis);
    } else {
      flv.rtp(entry, frame.data(), arrivalMillis);
    }
  }
}
