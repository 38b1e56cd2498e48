package dev.streamedge.rtsp.server;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.metrics.PlayerMeters;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.net.WriteMerger;
import dev.streamedge.player.Player;
import dev.streamedge.player.PlayerOutput;
import dev.streamedge.rtp.RtcpSenderReport;
import dev.streamedge.rtp.RtpClock;
import dev.streamedge.rtp.RtpTrackEncoder;
import dev.streamedge.session.Protocol;
import dev.streamedge.stream.StreamKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a playing RTSP session sends: the stream from a {@link Player} (the same bounded queue and keyframe
 * skipping as every other player), each packet made into RTP for this session alone by {@link RtpTrackEncoder}
 * (sequence numbers, SSRCs and timestamp offsets are the session's) and written interleaved on the connection;
 * an RTCP sender report per track after its first packets and every second, which players need to line audio
 * up with video (RFC 3550 §6.4.1); and at the publisher's end an RTCP BYE (§6.6), by which ffmpeg and
 * GStreamer end the play, before the connection closes. On the connection's context.
 */
final class RtspPlayback implements PlayerOutput {

  private static final Buffer NOTHING = Buffer.buffer(new byte[0]);
  private static final int RTCP_BYE = 203;
  private static final long REPORT_MILLIS = 1000;

  private final RtspServer server;
  /** Media and reports, written without a flush each: one flush per event-loop turn. */
  private final WriteMerger merger;
  private final Context context;
  private final StreamKey key;
  private final Consumer<String> close;
  private final RtpTrackEncoder encoder;
  private final RtpTrackEncoder.Setup[] setups;
  private final PlayerMeters meters;
  private Player player;
  private long reportTimer = -1;
  private long bytesOut;
  /** The stream's media time (ms) of the first packet and the wall clock then: the reports' common clock. */
  private long mediaBase = Long.MIN_VALUE;
  private long wallBase;
  private long lastMedia;
  private final boolean[] reported = new boolean[2];
  private boolean stopped;

  RtspPlayback(RtspServer server, WriteMerger merger, Context context, String session, StreamKey key,
      int videoChannel, int audioChannel, int audioPayloadType, Consumer<String> close) {
    this.server = server;
    this.merger = merger;
    this.context = context;
    this.key = key;
    this.close = close;
    this.setups = new RtpTrackEncoder.Setup[] {setup(session, 0, videoChannel), setup(session, 1, audioChannel)};
    this.encoder = new RtpTrackEncoder(setups[0], setups[1], audioPayloadType, server.config().maxPacketSize());
    this.meters = server.metrics().player(Protocol.RTSP);
  }

  /** The SSRC of a session's track, also what SETUP's answer names. */
  static long ssrc(String session, int track) {
    return (session.hashCode() * 31L + track * 0x9E3779B9L) & 0xFFFF_FFFFL;
  }

  /** A track's RTP numbering, from the session (RFC 3550 §5.1: the first sequence number and timestamp random). */
  private static RtpTrackEncoder.Setup setup(String session, int track, int channel) {
    if (channel < 0) {
      return RtpTrackEncoder.Setup.NONE;
    }
    long seed = ssrc(session, track) * 0x5DEECE66DL + 11;
    return new RtpTrackEncoder.Setup(channel, ssrc(session, track), (int) (seed >>> 16) & 0xFFFF,
        (seed >>> 24) & 0xFFFF_FFFFL);
  }

  void start() {
    player = Player.unshared(context, this, this::encode, server.player(), meters);
    player.play(server.registry(), key);
    reportTimer = context.owner().setPeriodic(REPORT_MILLIS, id -> report(false));
  }

  private Buffer encode(MediaKind kind, long timestamp, ByteBuf body) {
    ByteBuf rtp = encoder.encode(kind, timestamp, body);
    if (!rtp.isReadable()) {
      return NOTHING;
    }
    if (mediaBase == Long.MIN_VALUE) {
      mediaBase = timestamp;
      wallBase = System.currentTimeMillis();
    }
    lastMedia = timestamp;
    return WireBuffers.wrap(rtp);
  }

  /** The socket takes writes again. */
  void drain() {
    if (player != null && !stopped) {
      player.drain();
    }
  }

  void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (reportTimer >= 0) {
      context.owner().cancelTimer(reportTimer);
    }
    if (player != null) {
      player.stop();
    }
  }

  long bytesOut() {
    return bytesOut;
  }

  long dropped() {
    return player == null ? 0 : player.dropped();
  }

  /**
   * A sender report for each track that has sent RTP and, with {@code bye}, a BYE after it. The report maps the
   * media time of the last packet written to one wall clock for both tracks, so their NTP times agree exactly.
   */
  private void report(boolean bye) {
    if (stopped || mediaBase == Long.MIN_VALUE) {
      return;
    }
    ByteBuf out = Unpooled.buffer(2 * 64);
    long ntp = RtcpSenderReport.ntpTime(wallBase + (lastMedia - mediaBase));
    for (int track = 0; track < 2; track++) {
      RtpTrackEncoder.TrackStats stats = track == 0 ? encoder.videoStats() : encoder.audioStats();
      if (setups[track].channel() < 0 || stats == null || stats.packets() == 0 || stats.clockRate() <= 0) {
        continue;
      }
      int start = out.writerIndex();
      long rtpTime = RtpClock.timestamp(stats.clockRate(), setups[track].initialTimestamp(), lastMedia);
      RtcpSenderReport.write(out, setups[track].channel() + 1, stats.ssrc(), ntp, rtpTime, stats.packets(),
          stats.octets(), "streamedge");
      if (bye) {
        // The BYE goes in the same compound packet as the report (§6.1): its interleaved length grows by 8.
        out.setShort(start + 2, out.getUnsignedShort(start + 2) + 8);
        out.writeByte(0x81).writeByte(RTCP_BYE).writeShort(1).writeInt((int) stats.ssrc());
      }
      reported[track] = true;
    }
    if (out.isReadable()) {
      merger.write(out);
    }
  }

  // ---- the player's output ----

  @Override
  public boolean full() {
    return merger.full();
  }

  @Override
  public long unackedBytes() {
    return merger.unackedBytes();
  }

  @Override
  public void write(Buffer media) {
    if (media.length() == 0 || stopped) {
      return;
    }
    bytesOut += media.length();
    merger.write(WireBuffers.forWrite(media));
    meters.sent(media.length());
    if (!reported[0] && encoder.videoWriter() != null && encoder.videoWriter().packets() > 0
        || !reported[1] && encoder.audioWriter() != null && encoder.audioWriter().packets() > 0) {
      report(false); // the first packets of a track: players wait for a report to line the tracks up
    }
  }

  @Override
  public void joining(List<MediaPacket> startPackets) {
  }

  @Override
  public void published() {
  }

  /** The publisher left: what was queued went out before this; a BYE tells the player it is over. */
  @Override
  public void unpublished() {
    report(true);
    // After the stream has told every subscriber: the close ends this one's subscription.
    context.runOnContext(v -> close.accept("publisher left"));
  }

  @Override
  public void close(String reason) {
    close.accept(reason);
  }
}
