package dev.streamedge.rtp.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.media.codec.AvcConfigRecord;
import dev.streamedge.rtp.AudioTrack;
import dev.streamedge.rtp.RtpTrackEncoder;
import dev.streamedge.rtp.Sdp;
import dev.streamedge.rtp.VideoTrack;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A publisher's RTP back into FLV bodies: what the play side's own {@link RtpTrackEncoder} sends for an H.264 stream
 * with B-frames and an AAC track (described by its own {@link Sdp}), sent in real time, comes out as the same
 * frames at the same presentation times, decode times rebuilt, audio where it was against the video, nothing below
 * zero; and no packet of garbage throws or ends anything.
 */
@Tag("unit")
class FlvFromRtpTest {

  private static final byte[] SPS = HexFormat.of().parseHex("6764001eacd940a02ff97011000003000100000300320f162d96");
  private static final byte[] PPS = HexFormat.of().parseHex("68ebe3cb22c0");
  private static final byte[] ASC = HexFormat.of().parseHex("1210");

  private record Body(MediaKind kind, long timestamp, byte[] bytes) {
  }

  /**
   * G.711 as cameras send it (RFC 3551 §4.5.14): PCMU as the static payload type 0 with no rtpmap, PCMA as type 8 with
   * one. Each packet's samples become one FLV body behind FLV's flags for the format (SoundFormat 8 or 7, as
   * ffmpeg's FLV muxer writes them), at its RTP time on the 8 kHz clock; no sequence header; another payload type on
   * the track and an empty packet are counted as malformed.
   */
  @Test
  void g711PacketsBecomeFlvG711BodiesAtTheirRtpTimes() throws Exception {
    for (String[] form : new String[][] {
        {"m=audio 0 RTP/AVP 0\r\n", "00", "82", "PCMU"},
        {"m=audio 0 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n", "08", "72", "PCMA"}}) {
      String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\n" + form[0] + "a=control:trackID=1\r\n";
      List<Body> out = new ArrayList<>();
      FlvFromRtp ingest = new FlvFromRtp(SdpDescription.parse(sdp).media(), 1 << 20,
          (kind, timestamp, body) -> out.add(new Body(kind, timestamp, ByteBufUtil.getBytes(body))));
      assertThat(ingest.describe()).isEqualTo(form[3]);
      assertThat(ingest.reads(0)).isTrue();
      String type = form[1];
      for (int i = 0; i < 3; i++) {
        // 20 ms of samples a packet: 160 bytes, the timestamp 160 further each time, from 8000 on.
        ingest.rtp(0, Rtp.hex("80" + type + String.format("%04x%08x", 100 + i, 8000 + 160 * i) + "11223344"
            + String.format("%02x", i).repeat(160)), 1000 + 20 * i);
      }
      ingest.rtp(0, Rtp.hex("80" + type + "0067000003c011223344"), 1060); // no samples
      ingest.rtp(0, Rtp.hex("8061006800000460112233440102"), 1080); // payload type 97
      ingest.end();
      assertThat(out).extracting(Body::kind).containsOnly(MediaKind.AUDIO);
      assertThat(out).extracting(Body::timestamp).containsExactly(0L, 20L, 40L);
      for (int i = 0; i < 3; i++) {
        assertThat(HexFormat.of().formatHex(out.get(i).bytes()))
            .isEqualTo(form[2] + String.format("%02x", i).repeat(160));
      }
      assertThat(ingest.malformed()).isEqualTo(2);
      assertThat(ingest.dropped()).isZero();
    }
  }

  @Test
  void anH264AndAacPublishComesBackAtItsPresentationTimesWithDecodeTimesRebuilt() throws Exception {
    AvcConfig avc = new AvcConfig(100, 30, 4, List.of(SPS), List.of(PPS), 640, 360);
    String sdp = Sdp.describe("live/x", "127.0.0.1", 1, VideoTrack.h264(avc),
        AudioTrack.aac(new AacConfig(2, 4, 44100, 2), ASC));
    List<Body> out = new ArrayList<>();
    FlvFromRtp ingest = new FlvFromRtp(SdpDescription.parse(sdp).media(), 1 << 20,
        (kind, timestamp, body) -> out.add(new Body(kind, timestamp, ByteBufUtil.getBytes(body))));
    assertThat(ingest.describe()).isEqualTo("H264+AAC");
    RtpTrackEncoder encoder = new RtpTrackEncoder(new RtpTrackEncoder.Setup(0, 0x1111, 65_500, 0xFFFF_0000L),
        new RtpTrackEncoder.Setup(2, 0x2222, 7, 123_456), 1200);
    // Sender reports before the first packets, as ffmpeg sends them: one wall clock (NTP 5000 s) for both tracks.
    ingest.rtcp(0, senderReport(0x1111, 5_000_000, 0xFFFF_0000L), 1_000_000);
    ingest.rtcp(1, senderReport(0x2222, 5_000_000, 123_456), 1_000_000);
    send(encoder, ingest, MediaKind.VIDEO, 0, 0, concat(HexFormat.of().parseHex("1700000000"),
        AvcConfigRecord.write(SPS, PPS)));
    send(encoder, ingest, MediaKind.AUDIO, 0, 0, HexFormat.of().parseHex("af001210"));

    // x264's order with B-pyramid: I0 P4 B2 b1 b3 ..., 40 ms a frame, in decode order with DTS 40 ms apart.
    int[] ptsFrames = {0, 4, 2, 1, 3, 8, 6, 5, 7, 12, 10, 9, 11, 16, 14, 13, 15};
    List<long[]> sentVideo = new ArrayList<>();
    List<Long> sentAudio = new ArrayList<>();
    Random random = new Random(1);
    int audioAt = 0;
    for (int i = 0; i < ptsFrames.length; i++) {
      long dts = 40L * i;
      long pts = 40L * ptsFrames[i] + 80;
      while (audioAt <= dts + 60) {
        byte[] frame = new byte[2 + 50];
        frame[0] = (byte) 0xaf;
        frame[1] = 1;
        random.nextBytes(frame);
        frame[0] = (byte) 0xaf;
        frame[1] = 1;
        send(encoder, ingest, MediaKind.AUDIO, audioAt, audioAt, frame);
        sentAudio.add((long) audioAt);
        audioAt += 20;
      }
      byte[] nal = new byte[300 + random.nextInt(3000)];
      random.nextBytes(nal);
      nal[0] = (byte) (i == 0 ? 0x65 : 0x41);
      byte[] body = new byte[5 + 4 + nal.length];
      body[0] = (byte) (i == 0 ? 0x17 : 0x27);
      body[1] = 1;
      int cts = (int) (pts - dts);
      body[2] = (byte) (cts >> 16);
      body[3] = (byte) (cts >> 8);
      body[4] = (byte) cts;
      body[5] = (byte) (nal.length >> 24);
      body[6] = (byte) (nal.length >> 16);
      body[7] = (byte) (nal.length >> 8);
      body[8] = (byte) nal.length;
      System.arraycopy(nal, 0, body, 9, nal.length);
      send(encoder, ingest, MediaKind.VIDEO, dts, dts, body);
      sentVideo.add(new long[] {pts, ByteBufUtil.hashCode(Unpooled.wrappedBuffer(nal))});
    }
    ingest.end();

    List<Body> video = out.stream().filter(b -> b.kind() == MediaKind.VIDEO).toList();
    List<Body> audio = out.stream().filter(b -> b.kind() == MediaKind.AUDIO).toList();
    assertThat(out).allMatch(b -> b.timestamp() >= 0);
    assertThat(video.get(0).bytes()[1]).as("the AVC sequence header first").isZero();
    assertThat(audio.get(0).bytes()).as("the AAC sequence header first").containsExactly(0xaf, 0, 0x12, 0x10);
    List<Body> frames = video.subList(1, video.size());
    assertThat(frames).hasSize(sentVideo.size());
    long firstPts = frames.get(0).timestamp() + cts(frames.get(0));
    long lastDts = -1;
    for (int i = 0; i < frames.size(); i++) {
      Body frame = frames.get(i);
      long pts = frame.timestamp() + cts(frame);
      assertThat(pts - firstPts).as("frame %d's presentation time", i).isEqualTo(sentVideo.get(i)[0] - 80);
      assertThat(frame.timestamp()).as("frame %d's decode time", i).isGreaterThan(lastDts).isLessThanOrEqualTo(pts);
      lastDts = frame.timestamp();
      assertThat(frame.bytes()[0] & 0xF0).isEqualTo(i == 0 ? 0x10 : 0x20);
      byte[] bytes = frame.bytes();
      // The frame's last NAL unit is the one sent (a keyframe has the parameter sets in band before it).
      ByteBuf nals = Unpooled.wrappedBuffer(bytes, 5, bytes.length - 5);
      ByteBuf last = null;
      while (nals.isReadable()) {
        last = nals.readSlice(nals.readInt());
      }
      assertThat(ByteBufUtil.hashCode(last)).as("frame %d's NAL unit", i).isEqualTo((int) sentVideo.get(i)[1]);
    }
    List<Body> audioFrames = audio.subList(1, audio.size());
    assertThat(audioFrames).hasSize(sentAudio.size());
    for (int i = 0; i < audioFrames.size(); i++) {
      assertThat(audioFrames.get(i).timestamp() - audioFrames.get(0).timestamp()).isEqualTo(sentAudio.get(i));
    }
    // Audio from 0 and video shown from 80: the sender reports keep them 80 ms apart (arrival alone would not: the
    // first picture arrives with its decode time, 80 ms before it is shown).
    assertThat(firstPts - audioFrames.get(0).timestamp()).isEqualTo(80);
  }

  @Test
  void garbagePacketsThrowNothingAndAreCounted() throws Exception {
    String sdp = "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/90000\r\na=control:a\r\n"
        + "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 MP4A-LATM/44100\r\na=fmtp:97 cpresent=0;config=40002410adca00\r\n";
    FlvFromRtp ingest = new FlvFromRtp(SdpDescription.parse(sdp).media(), 4096, (kind, timestamp, body) -> { });
    assertThat(ingest.describe()).isEqualTo("H265+AAC");
    Random random = new Random(2);
    for (int i = 0; i < 20_000; i++) {
      byte[] packet = new byte[random.nextInt(200)];
      random.nextBytes(packet);
      if (packet.length > 1 && i % 2 == 0) {
        packet[0] = (byte) 0x80;
        packet[1] = (byte) (i % 4 == 0 ? 96 : 97);
      }
      ingest.rtp(i % 3, Unpooled.wrappedBuffer(packet), i);
      ingest.rtcp(i % 2, Unpooled.wrappedBuffer(packet), i);
    }
    ingest.end();
    assertThat(ingest.malformed()).isPositive();
  }

  /** An RTCP SR (RFC 3550 §6.4.1): {@code rtp} is the track's RTP timestamp at {@code ntpMillis}. */
  private static ByteBuf senderReport(long ssrc, long ntpMillis, long rtp) {
    return Unpooled.buffer().writeByte(0x80).writeByte(200).writeShort(6).writeInt((int) ssrc)
        .writeInt((int) (ntpMillis / 1000)).writeInt((int) ((ntpMillis % 1000) * (1L << 32) / 1000)).writeInt((int) rtp)
        .writeInt(0).writeInt(0);
  }

  @Test
  void anAacTrackWithAuHeaderFieldsNotReadIsLeftOutAndTheVideoIsRead() throws Exception {
    String sdp = "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\nm=audio 0 RTP/AVP 97\r\n"
        + "a=rtpmap:97 MPEG4-GENERIC/44100/2\r\n"
        + "a=fmtp:97 mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;ctsdeltalength=16;config=1210\r\n";
    List<Body> out = new ArrayList<>();
    FlvFromRtp ingest = new FlvFromRtp(SdpDescription.parse(sdp).media(), 4096,
        (kind, timestamp, body) -> out.add(new Body(kind, timestamp, ByteBufUtil.getBytes(body))));
    assertThat(ingest.describe()).isEqualTo("H264");
    assertThat(ingest.reads(1)).isFalse();
    byte[] idr = HexFormat.of().parseHex("65888040");
    for (int i = 0; i < 3; i++) {
      ByteBuf packet = Unpooled.buffer().writeByte(0x80).writeByte(0x80 | 96).writeShort(i).writeInt(90_000 + 3600 * i)
          .writeInt(1);
      packet.writeBytes(i == 0 ? concat(SPS, new byte[0]) : idr);
      ingest.rtp(0, packet, i);
      if (i == 0) {
        ingest.rtp(0, Unpooled.buffer().writeByte(0x80).writeByte(0x80 | 96).writeShort(100).writeInt(90_000)
            .writeInt(1).writeBytes(PPS), 0);
      }
    }
    ingest.end();
    // The parameter sets' unit, then two frames 40 ms apart (3600 ticks at 90 kHz).
    List<Body> frames = out.stream().filter(b -> b.kind() == MediaKind.VIDEO && b.bytes()[1] == 1).toList();
    assertThat(frames).hasSizeGreaterThanOrEqualTo(2);
    Body last = frames.get(frames.size() - 1);
    Body before = frames.get(frames.size() - 2);
    assertThat(last.timestamp() + cts(last) - before.timestamp() - cts(before)).isEqualTo(40);
  }

  private static long cts(Body frame) {
    byte[] b = frame.bytes();
    return (b[2] << 16 | (b[3] & 0xFF) << 8 | (b[4] & 0xFF)) & 0xFFFFFF;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Encodes one FLV body as the play side would, and hands its interleaved packets over as arriving at {@code now}. */
  private static void send(RtpTrackEncoder encoder, FlvFromRtp ingest, MediaKind kind, long timestamp, long now,
      byte[] body) {
    ByteBuf frames = encoder.encode(kind, timestamp, Unpooled.wrappedBuffer(body));
    while (frames.isReadable()) {
      assertThat(frames.readByte()).isEqualTo((byte) '$');
      int channel = frames.readUnsignedByte();
      ByteBuf packet = frames.readSlice(frames.readUnsignedShort());
      if (channel % 2 == 0) {
        ingest.rtp(channel / 2, packet, 1_000_000 + now);
      } else {
        ingest.rtcp(channel / 2, packet, 1_000_000 + now);
      }
    }
  }
}
