package dev.streamedge.rtsp.server;

import dev.streamedge.fmp4.FlvTracks;
import dev.streamedge.fmp4.HevcSampleEntry;
import dev.streamedge.fmp4.SampleEntry;
import dev.streamedge.hls.ts.HevcParameterSets;
import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.rtp.AudioTrack;
import dev.streamedge.rtp.Sdp;
import dev.streamedge.rtp.VideoTrack;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import dev.streamedge.stream.StreamSubscriber;
import dev.streamedge.stream.Subscription;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.util.List;

/**
 * What a DESCRIBE needs to know of a stream: the codec configuration of its tracks that RTSP carries (H.264 or
 * HEVC video, AAC or G.711 audio), read from the sequence headers a subscription gets (and G.711's frames). A live
 * stream's start packets hold them; a stream not live yet (its publisher not on, or its pull from another node under
 * way) is watched until its first media frame, by which its headers came (and, with video, until its audio's first
 * frame or {@link #AUDIO_GRACE_MILLIS} after). Counts as no viewer. On the connection's context.
 */
final class TrackProbe implements StreamSubscriber, FlvTracks.Sink {

  /**
   * The tracks of a stream as RTSP describes them; the video may be absent, the audio too, not both.
   *
   * @param g711 the payload type of G.711 audio ({@link AudioTrack#PCMU} or {@link AudioTrack#PCMA}) when the
   *     stream's audio is G.711 rather than AAC, else -1
   */
  record Tracks(AvcConfig avc, HevcParameterSets hevc, AacConfig aac, byte[] aacRecord, int g711) {
    boolean any() {
      return avc != null || hevc != null || audio() != null;
    }

    /** The audio track described: AAC, else G.711, else null. */
    AudioTrack audio() {
      return aac != null ? AudioTrack.aac(aac, aacRecord) : g711 >= 0 ? AudioTrack.g711(g711 == AudioTrack.PCMA)
          : null;
    }

    /** The session description of these tracks (RFC 4566), video as track 0 and audio as track 1. */
    String sdp(StreamKey key, String origin) {
      VideoTrack video = avc != null ? VideoTrack.h264(avc) : hevc != null ? VideoTrack.h265(hevc) : null;
      return Sdp.describe(key.toString(), origin, System.currentTimeMillis() / 1000, video, audio());
    }
  }

  private final Context context;
  private final Promise<Tracks> found = Promise.promise();
  private Subscription subscription;
  private AvcConfig avc;
  private HevcParameterSets hevc;
  private AacConfig aac;
  private byte[] aacRecord;
  /** Whether a configuration of another codec came: then the stream has a track RTSP does not carry. */
  private boolean configSeen;
  /**
   * How long a stream that was not live is watched for its audio after its first video frame, when no audio came
   * before it: G.711 has no sequence header, only frames. A stream with no audio is described this much later.
   */
  static final long AUDIO_GRACE_MILLIS = 500;
  private long graceTimer = -1;
  /** The payload type of G.711 frames seen, -1 before one. */
  private int g711 = -1;
  /** Whether the start packets are being read: each is read, none finishes the probe on its own. */
  private boolean scanning;

  private TrackProbe(Context context) {
    this.context = context;
  }

  /**
   * Watches {@code key} until its tracks are known, at most {@code timeoutMillis}: the tracks, or a failure when
   * none RTSP carries came by then. On {@code context}.
   */
  static io.vertx.core.Future<Tracks> of(Context context, StreamRegistry registry, StreamKey key, long timeoutMillis) {
    TrackProbe probe = new TrackProbe(context);
    long timer = context.owner().setTimer(timeoutMillis, id -> probe.finish());
    probe.subscription = registry.subscribe(key, probe);
    return probe.found.future().andThen(done -> {
      context.owner().cancelTimer(timer);
      if (probe.graceTimer >= 0) {
        context.owner().cancelTimer(probe.graceTimer);
      }
      probe.subscription.cancel();
    });
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void attached(List<MediaPacket> startPackets, boolean live) {
    // All of them: G.711 has no sequence header, only its frames (in the GOP after the headers) say it is there.
    scanning = true;
    for (MediaPacket packet : startPackets) {
      packet(packet);
    }
    scanning = false;
    if (live && (configSeen || g711 >= 0)) {
      finish(); // the start packets of a live stream begin with its current sequence headers
    }
  }

  @Override
  public void packet(MediaPacket packet) {
    if (found.future().isComplete()) {
      return;
    }
    try {
      FlvTracks.read(packet, 0, this);
    } catch (MediaFormatException malformed) {
      // A header players could not use either: the track stays undescribed.
    }
    if (!scanning && !packet.isConfig() && configSeen) {
      // A publisher sends its sequence headers before its first frames. G.711 has none: with video and no audio
      // known yet, its first frame may still come, a moment after the video's (a camera's tracks start together).
      if (aac != null || g711 >= 0 || avc == null && hevc == null) {
        finish();
      } else if (graceTimer < 0) {
        graceTimer = context.owner().setTimer(AUDIO_GRACE_MILLIS, id -> finish());
      }
    }
  }

  private void finish() {
    Tracks tracks = new Tracks(avc, hevc, aac, aacRecord, g711);
    if (tracks.any()) {
      found.tryComplete(tracks);
    } else {
      found.tryFail("no H.264, HEVC, AAC or G.711 track");
    }
  }

  @Override
  public void published() {
  }

  @Override
  public void unpublished() {
  }

  @Override
  public void videoConfig(byte[] record, AvcConfig parsed, SampleEntry entry) {
    configSeen = true;
    avc = parsed;
    hevc = null;
    if (entry instanceof HevcSampleEntry) {
      try {
        hevc = HevcParameterSets.of(record);
      } catch (MediaFormatException malformed) {
        hevc = null;
      }
    }
  }

  @Override
  public void videoFrame(long dts, int cts, boolean keyframe, ByteBuf data, long wallClock) {
  }

  @Override
  public void audioConfig(byte[] record, AacConfig parsed, SampleEntry entry, long frameMillis) {
    configSeen = true;
    aac = parsed;
    aacRecord = record;
  }

  @Override
  public void audioFrame(long pts, ByteBuf data, int samples, long wallClock) {
  }

  @Override
  public void g711Frame(boolean alaw, long pts, ByteBuf samples, long wallClock) {
    g711 = alaw ? AudioTrack.PCMA : AudioTrack.PCMU;
  }
}
