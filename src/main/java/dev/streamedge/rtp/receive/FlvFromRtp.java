package dev.streamedge.rtp.receive;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.codec.AvcSps;
import dev.streamedge.media.codec.HevcSps;
import dev.streamedge.mpegts.AnnexBNals;
import dev.streamedge.mpegts.AvcToFlv;
import dev.streamedge.mpegts.FlvFromTs;
import dev.streamedge.mpegts.HevcToFlv;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A publisher's RTP (RFC 3550) as the FLV tag bodies an RTMP publisher would send for the same media: the first
 * H.264 (RFC 6184) or H.265 (RFC 7798) track of its SDP and its first audio track of AAC (RFC 3640, or MP4A-LATM of
 * RFC 6416 as GStreamer sends it) or G.711 (PCMU, PCMA: a camera's default), each depacketized into
 * access units, the video's decode times worked out from its presentation times and reorder depth ({@link
 * DecodeTimes}), both tracks on one timeline ({@link TrackClock}) starting at zero ({@link StartHold}). Parameter
 * sets and the AudioSpecificConfig come from the SDP ({@code sprop-*}, {@code config}) or in band; the bodies are
 * those of {@link AvcToFlv}, {@link HevcToFlv}, FLV's AAC packets and its G.711 ones (SoundFormat 8 and 7). Other tracks are set up but not read.
 * Malformed packets never throw: they are counted and skipped. Pure: arrival times are passed in. Not
 * thread-safe.
 */
public final class FlvFromRtp {

  /** The deepest B-frame reordering followed; H.264 and H.265 allow at most 16 frames in the DPB. */
  static final int MAX_REORDER_DEPTH = 16;
  /** The depth taken for an H.264 SPS that does not say (x264 with B-pyramid has 2): a deeper one grows it. */
  static final int DEFAULT_REORDER_DEPTH = 2;
  /** Bodies held at the start, waiting for each track's first: as SRT's publishers are held. */
  static final int MAX_HELD_AT_START = 256;
  static final long MAX_HELD_MILLIS_AT_START = 2000;
  /** And at most this many bytes of them (frames of up to rtsp.max-frame-size each): 16 MiB, or one frame more. */
  static final long MAX_HELD_BYTES_AT_START = 16L << 20;
  private static final int AAC_FLAGS = 0xAF;
  private static final String LATM = "MP4A-LATM";
  /**
   * G.711 (RFC 3551 §4.5.14, PCMU and PCMA: 8000 Hz, one channel, one byte a sample) as FLV's SoundFormat 8 (µ-law)
   * and 7 (A-law), with the flags ffmpeg's FLV muxer writes for them: rate bits 0 (the format implies 8 kHz), 16-bit
   * samples decoded, mono. Each RTP packet's payload is one FLV audio body, as nginx-rtmp passes them on.
   */
  private static final String PCMU = "PCMU";
  private static final String PCMA = "PCMA";
  private static final int PCMU_FLAGS = 0x82;
  private static final int PCMA_FLAGS = 0x72;
  /** AAC frames of 1024 samples: the frame length of AAC-LC, HE-AAC's core, and what FLV players expect. */
  private static final int SAMPLES_PER_FRAME = 1024;

  private final int videoMedia;
  private final int audioMedia;
  private final int videoPayloadType;
  private final int audioPayloadType;
  private final boolean hevc;
  private final StartHold hold;
  private final TrackClock.Timeline timeline = new TrackClock.Timeline();
  private final TrackClock videoClock;
  private final TrackClock audioClock;
  private final VideoTrack video;
  /** The audio track's depacketizer (RFC 3640 or MP4A-LATM), its counters: null without audio. */
  private final Consumer<RtpPacket> audio;
  private final LongSupplier audioDropped;
  private final LongSupplier audioMalformed;
  /** The AudioSpecificConfig of an AAC track; null for G.711, which has none. */
  private final byte[] audioConfig;
  /** The audio track's encoding name, for {@link #describe()}; "" without audio. */
  private final String audioEncoding;
  private boolean audioConfigSent;
  private long arrival;
  private long malformed;

  /**
   * Reads the tracks of {@code media} (an ANNOUNCE's SDP).
   *
   * @throws RtpFormatException when there is neither an H.264/H.265 nor an AAC track to read
   */
  public FlvFromRtp(List<SdpMedia> media, int maxFrameSize, FlvFromTs.Listener out) throws RtpFormatException {
    int videoAt = -1;
    int audioAt = -1;
    for (int i = 0; i < media.size(); i++) {
      SdpMedia m = media.get(i);
      // SdpDescription gives a mapped track its rtpmap's rate, never 0; a static type without one has 0.
      if (videoAt < 0 && "video".equals(m.type()) && isVideo(m.encoding()) && m.clockRate() > 0) {
        videoAt = i;
      } else if (audioAt < 0 && "audio".equals(m.type()) && (isAac(m) || isG711(m))) {
        audioAt = i;
      }
    }
    if (videoAt < 0 && audioAt < 0) {
      throw new RtpFormatException("no H.264, H.265, AAC or G.711 track in the SDP");
    }
    this.videoMedia = videoAt;
    this.audioMedia = audioAt;
    this.hold = new StartHold(videoAt >= 0, audioAt >= 0, MAX_HELD_AT_START, MAX_HELD_BYTES_AT_START,
        MAX_HELD_MILLIS_AT_START, out);
    SdpMedia v = videoAt < 0 ? null : media.get(videoAt);
    SdpMedia a = audioAt < 0 ? null : media.get(audioAt);
    this.hevc = v != null && !v.encoding().equals("H264");
    this.videoPayloadType = v == null ? -1 : v.payloadType();
    this.audioPayloadType = a == null ? -1 : a.payloadType();
    this.videoClock = v == null ? null : new TrackClock(v.clockRate());
    this.audioClock = a == null ? null : new TrackClock(a.clockRate());
    this.video = v == null ? null : new VideoTrack(v, maxFrameSize);
    this.audioEncoding = a == null ? "" : a.encoding();
    if (a == null) {
      audioConfig = null;
      audio = null;
      audioDropped = () -> 0;
      audioMalformed = () -> 0;
    } else if (isG711(a)) {
      audioConfig = null;
      int flags = a.encoding().equals(PCMA) ? PCMA_FLAGS : PCMU_FLAGS;
      audio = packet -> g711Frame(flags, packet);
      audioDropped = () -> 0;
      audioMalformed = () -> 0;
    } else if (a.encoding().equals(LATM)) {
      LatmConfig latm = LatmConfig.parse(a.fmtp().get("config"));
      LatmDepacketizer reader = new LatmDepacketizer(latm, SAMPLES_PER_FRAME, maxFrameSize, this::audioFrame);
      audioConfig = latm.audioSpecificConfig();
      audio = reader::packet;
      audioDropped = () -> reader.lost() + reader.oversized();
      audioMalformed = reader::malformed;
    } else {
      AacDepacketizer reader = AacDepacketizer.fromFmtp(a.fmtp(), maxFrameSize, this::audioFrame);
      audioConfig = ByteBufUtil.decodeHexDump(a.fmtp().get("config"));
      audio = reader::packet;
      audioDropped = () -> reader.lost() + reader.oversized();
      audioMalformed = reader::malformed;
    }
  }

  private static boolean isVideo(String encoding) {
    return encoding.equals("H264") || encoding.equals("H265");
  }

  /** G.711 at its only rate and channel count (RFC 3551 §4.5.14), as cameras send their audio by default. */
  private static boolean isG711(SdpMedia m) {
    return (m.encoding().equals(PCMU) || m.encoding().equals(PCMA)) && m.clockRate() == 8000 && m.channels() == 1;
  }

  /** AAC as RFC 3640 (mpeg4-generic, AAC-hbr or AAC-lbr) or MP4A-LATM with its config out of band: what is read. */
  private static boolean isAac(SdpMedia m) {
    String config = m.fmtp().getOrDefault("config", "");
    if (m.clockRate() <= 0 || config.isEmpty() || config.length() % 2 != 0
        || !config.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return false;
    }
    if (m.encoding().equals(LATM)) {
      try {
        LatmConfig.parse(config);
        return "0".equals(m.fmtp().get("cpresent"));
      } catch (RtpFormatException unreadable) {
        return false;
      }
    }
    if (!m.encoding().equals("MPEG4-GENERIC") || !m.fmtp().getOrDefault("mode", "").toLowerCase(Locale.ROOT)
        .startsWith("aac")) {
      return false;
    }
    try {
      AacDepacketizer.fromFmtp(m.fmtp(), 1, frame -> { });
      return true;
    } catch (RtpFormatException | IllegalArgumentException unreadable) {
      return false; // AU headers with fields the depacketizer does not read: the track is not read
    }
  }

  /** Whether the packets of SDP media {@code media} are read (the others are set up and dropped). */
  public boolean reads(int media) {
    return media >= 0 && (media == videoMedia || media == audioMedia);
  }

  /** The tracks read, for the log: {@code H264+AAC}, {@code H265}, ... */
  public String describe() {
    String v = video == null ? "" : hevc ? "H265" : "H264";
    String a = audio == null ? "" : audioConfig == null ? audioEncoding : "AAC";
    return v.isEmpty() ? a : a.isEmpty() ? v : v + "+" + a;
  }

  /** One RTP packet of SDP media {@code media}, arrived at {@code arrivalMillis} (any monotonic clock). */
  public void rtp(int media, ByteBuf packet, long arrivalMillis) {
    if (!reads(media)) {
      return;
    }
    RtpPacket parsed;
    try {
      parsed = RtpPacket.parse(packet);
    } catch (RtpFormatException bad) {
      malformed++;
      return;
    }
    arrival = arrivalMillis;
    if (media == videoMedia && parsed.payloadType() == videoPayloadType) {
      video.packet(parsed);
    } else if (media == audioMedia && parsed.payloadType() == audioPayloadType) {
      audio.accept(parsed);
    } else {
      malformed++;
    }
  }

  /** One RTCP packet of SDP media {@code media}: a sender report lines its track up with the others. */
  public void rtcp(int media, ByteBuf packet, long arrivalMillis) {
    if (!reads(media)) {
      return;
    }
    SenderReport report = SenderReport.parse(packet);
    if (report != null) {
      timeline.reportArrived(report, arrivalMillis);
      (media == videoMedia ? videoClock : audioClock).report(report);
    }
  }

  /** The publisher's end: the frames still being put together or held go out. */
  public void end() {
    if (video != null) {
      video.end();
    }
    hold.start();
  }

  /** Packets that did not parse, or came with another payload type than their track's; skipped. */
  public long malformed() {
    return malformed + (video == null ? 0 : video.malformed()) + audioMalformed.getAsLong();
  }

  /** Frames given up on: a packet of theirs was lost, or they were larger than the largest frame. */
  public long dropped() {
    return (video == null ? 0 : video.dropped()) + audioDropped.getAsLong();
  }

  /** A G.711 packet: its samples as one FLV body, timed by its RTP timestamp; an empty one is malformed. */
  private void g711Frame(int flags, RtpPacket packet) {
    ByteBuf samples = packet.payload();
    if (!samples.isReadable()) {
      malformed++;
      return;
    }
    long millis = audioClock.millis(audioClock.unwrap(packet.timestamp(), timeline, arrival));
    ByteBuf body = Unpooled.buffer(1 + samples.readableBytes());
    body.writeByte(flags);
    body.writeBytes(samples, samples.readerIndex(), samples.readableBytes());
    hold.media(MediaKind.AUDIO, millis, body);
  }

  private void audioFrame(AacFrame frame) {
    long millis = audioClock.millis(audioClock.unwrap(frame.timestamp(), timeline, arrival));
    if (!audioConfigSent) {
      audioConfigSent = true;
      hold.media(MediaKind.AUDIO, millis, audioBody(0, Unpooled.wrappedBuffer(audioConfig)));
    }
    hold.media(MediaKind.AUDIO, millis, audioBody(1, frame.raw()));
  }

  private static ByteBuf audioBody(int packetType, ByteBuf data) {
    ByteBuf body = Unpooled.buffer(2 + data.readableBytes());
    body.writeByte(AAC_FLAGS);
    body.writeByte(packetType);
    body.writeBytes(data, data.readerIndex(), data.readableBytes());
    return body;
  }

  /** The video track: its depacketizer, decode times and FLV writer, with the SDP's parameter sets. */
  private final class VideoTrack {
    private final H264Depacketizer h264;
    private final H265Depacketizer h265;
    private final AvcToFlv avc;
    private final HevcToFlv hvc;
    private final DecodeTimes<ByteBuf> decodeTimes;
    /** The SDP's parameter sets in Annex B, put before the first access unit when it lacks them; then null. */
    private ByteBuf sdpSets;
    private byte[] lastSps;

    VideoTrack(SdpMedia m, int maxFrameSize) {
      boolean isHevc = !m.encoding().equals("H264");
      List<byte[]> sets = ParameterSets.fromFmtp(m.fmtp(), isHevc);
      sdpSets = ParameterSets.annexB(sets);
      int depth = DEFAULT_REORDER_DEPTH;
      for (byte[] set : sets) {
        depth = reorderDepth(set, depth);
      }
      decodeTimes = new DecodeTimes<>(depth, MAX_REORDER_DEPTH, this::decoded);
      h264 = isHevc ? null : new H264Depacketizer(maxFrameSize, this::accessUnit);
      h265 = isHevc ? new H265Depacketizer(maxFrameSize, this::accessUnit) : null;
      avc = isHevc ? null : new AvcToFlv(hold);
      hvc = isHevc ? new HevcToFlv(hold) : null;
    }

    void packet(RtpPacket packet) {
      if (h264 != null) {
        h264.packet(packet);
      } else {
        h265.packet(packet);
      }
    }

    private void accessUnit(AccessUnit unit) {
      ByteBuf annexB = unit.annexB();
      int depth = decodeTimes.depth();
      for (ByteBuf nal : AnnexBNals.split(annexB)) {
        if (ParameterSets.isSps(nal, hevc)) {
          depth = reorderDepth(ByteBufUtil.getBytes(nal), depth);
        }
      }
      if (depth != decodeTimes.depth()) {
        decodeTimes.depth(depth);
      }
      if (sdpSets != null) {
        annexB = Unpooled.wrappedBuffer(sdpSets, annexB);
        sdpSets = null;
      }
      long pts = videoClock.unwrap(unit.timestamp(), timeline, arrival);
      decodeTimes.frame(pts, annexB);
    }

    /** The reorder depth an SPS gives, or {@code otherwise} for another NAL unit or an SPS that does not say. */
    private int reorderDepth(byte[] nal, int otherwise) {
      if (!ParameterSets.isSps(Unpooled.wrappedBuffer(nal), hevc)) {
        return otherwise;
      }
      if (Arrays.equals(nal, lastSps)) {
        return otherwise;
      }
      lastSps = nal;
      try {
        int depth = hevc ? HevcSps.reorderDepth(nal) : AvcSps.reorderDepth(nal);
        return depth < 0 ? otherwise : Math.min(depth, MAX_REORDER_DEPTH);
      } catch (MediaFormatException bad) {
        return otherwise;
      }
    }

    private void decoded(long dts, long pts, ByteBuf annexB) {
      long dtsMillis = videoClock.millis(dts);
      long ctsMillis = videoClock.millis(pts) - dtsMillis;
      if (avc != null) {
        avc.frame(annexB, dtsMillis, ctsMillis);
      } else {
        hvc.frame(annexB, dtsMillis, ctsMillis);
      }
    }

    void end() {
      if (h264 != null) {
        h264.flush();
      } else {
        h265.flush();
      }
      decodeTimes.flush();
    }

    long malformed() {
      return (h264 != null ? h264.malformed() : h265.malformed()) + (avc != null ? avc.malformed() : hvc.malformed());
    }

    long dropped() {
      return h264 != null ? h264.lost() + h264.oversized() : h265.lost() + h265.oversized();
    }
  }
}
