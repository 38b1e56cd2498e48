package dev.streamedge.stream;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket.Role;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.codec.CodecDescription;
import dev.streamedge.media.codec.CodecDetails;
import dev.streamedge.net.EventLoops;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One live stream (the SRS "source"): its publisher, its output {@link Timeline}, the {@link MetaCache}
 * (onMetaData and sequence headers), the GOP cache and its subscribers grouped by event loop.
 *
 * <p>All state lives on one event loop, the home context (the one of the connection that created the
 * stream, normally its publisher), so nothing here needs a lock: every method except {@link #onHome}
 * and {@link #joinableGroup} runs there.
 */
public final class LiveStream {

  private final StreamKey key;
  private final Context home;
  private final StreamRegistry registry;
  private final GopCache gop;
  private final TakeoverRule takeover;
  private final LoopFanOut fanout;
  private int subscribers;
  private boolean closed;

  private StreamPublisher publisher;
  /** What the publisher presented to auth (its key or signature); empty with auth off. */
  private String credential = "";
  /** When the publisher's last packet arrived, or when it started: how long it has been quiet. */
  private long lastPacketNanos;
  /** The publisher is a relay from another node (the stream's origin), not a client of this node. */
  private boolean relaying;
  /** Publishes waiting for the {@link PublishGate}: while any is, the stream neither closes nor is released. */
  private int claimsInFlight;
  /** Whether a publisher is on, readable from any thread for admission checks; written on home only. */
  private volatile boolean live;
  private long session;
  private long publishedAtMillis;
  private final Timeline timeline = new Timeline();
  private final MetaCache meta = new MetaCache();
  private final PacketRoles roles = new PacketRoles();
  private String videoCodec = "";
  private String audioCodec = "";
  private Optional<CodecDetails.Video> videoDetails = Optional.empty();
  private Optional<CodecDetails.Audio> audioDetails = Optional.empty();
  /** Audio and video bytes of the current publisher session. */
  private long bytesIn;
  private final RateMeter rates = new RateMeter();
  /** Viewers by protocol label, for the API; at most one entry per protocol. */
  private final Map<String, Integer> viewers = new HashMap<>();

  LiveStream(StreamKey key, Context home, StreamRegistry registry) {
    this.key = key;
    this.home = home;
    this.fanout = new LoopFanOut(home);
    this.registry = registry;
    this.gop = new GopCache(registry.gopMaxBytes(), registry.gopMaxFrames());
    this.takeover = new TakeoverRule(registry.rules());
  }

  public StreamKey key() {
    return key;
  }

  boolean live() {
    return live;
  }

  boolean closed() {
    return closed;
  }

  /** Runs {@code action} on the home context: at once when already there, else as a task. */
  void onHome(Runnable action) {
    if (Vertx.currentContext() == home) {
      action.run();
    } else {
      LoopFanOut.hop(home, v -> action.run());
    }
  }

  /**
   * Claims the key through the registry's gate, then publishes here; completes on the home context with
   * the new session, or why the gate or the local rules refuse. Home context only.
   *
   * @param credential what the candidate presented to auth, empty when nothing was asked
   */
  Future<PublishResult> claimAndPublish(StreamPublisher candidate, String credential) {
    claimsInFlight++;
    Promise<PublishResult> result = Promise.promise();
    registry.gate().claim(key, candidate.peer()).onComplete(claimed -> onHome(() -> {
      claimsInFlight--;
      PublishResult published = claimed.succeeded() && claimed.result() ? publish(candidate, credential)
          : PublishResult.refused(PublishRefusal.ELSEWHERE);
      if (published.session() == null) {
        releaseIfIdle();
        closeIfUnused();
      }
      result.complete(published);
    }));
    return result.future();
  }

  void kickPublisher(String reason) {
    if (publisher != null) {
      publisher.kick(reason);
    }
  }

  /** Disconnects this node's own publisher, if it has one; a relay from another node stays. */
  void kickOwnPublisher(String reason) {
    if (publisher != null && !relaying) {
      publisher.kick(reason);
    }
  }

  /**
   * Returns the new session, or why the publish rules refuse it. A relay always gives way: the gate
   * just made this node the stream's origin.
   */
  private PublishResult publish(StreamPublisher candidate, String candidateCredential) {
    if (publisher != null && !relaying) {
      if (registry.rules().policy() == PublishPolicy.REJECT) {
        return PublishResult.refused(PublishRefusal.REJECTED);
      }
      long now = System.nanoTime();
      PublishRefusal refusal = takeover.check(now, lastPacketNanos, credential, candidateCredential);
      if (refusal != null) {
        return PublishResult.refused(refusal);
      }
      takeover.tookOver(now);
    }
    if (publisher != null) {
      publisher.kick(relaying ? "this node publishes the stream now, from " + candidate.peer()
          : "taken over by a new publisher from " + candidate.peer());
    }
    boolean wentLive = publisher == null || relaying;
    start(candidate, false);
    credential = candidateCredential;
    if (wentLive) {
      registry.wentLive(key);
    }
    return PublishResult.started(new PublishSession(this, session));
  }

  /** Publishes a relay from another node, unless a publisher of this node has the stream. */
  PublishSession relay(StreamPublisher candidate) {
    if (publisher != null && !relaying) {
      return null;
    }
    if (publisher != null) {
      publisher.kick("replaced by a new relay");
    }
    start(candidate, true);
    return new PublishSession(this, session);
  }

  /** Makes {@code candidate} the publisher; players hear of it only when nobody published before. */
  private void start(StreamPublisher candidate, boolean relay) {
    boolean wasLive = publisher != null;
    publisher = candidate;
    relaying = relay;
    credential = "";
    live = true;
    session++;
    publishedAtMillis = System.currentTimeMillis();
    lastPacketNanos = System.nanoTime();
    resetSession();
    fanout.forEach(wasLive ? LocalGroup::restarted : LocalGroup::published);
  }

  void unpublish(long sessionId) {
    if (sessionId != session || publisher == null) {
      return;
    }
    boolean wasRelay = relaying;
    publisher = null;
    relaying = false;
    credential = "";
    live = false;
    resetSession();
    fanout.forEach(LocalGroup::unpublished);
    if (!wasRelay) {
      releaseIfIdle(); // a relay never claimed the key: its origin did
    }
    closeIfUnused();
  }

  /**
   * No publisher is coming from where one was expected: players waiting for one are told the stream
   * is unpublished, as they would be had it ended. A stream with a publisher is not touched.
   */
  void unavailable() {
    if (publisher == null) {
      fanout.forEach(LocalGroup::unpublished);
    }
  }

  /** A claim in flight still needs the key: releasing it now would let it go live unrecorded. */
  private void releaseIfIdle() {
    if (publisher == null && claimsInFlight == 0) {
      registry.gate().release(key);
    }
  }

  void ingest(long sessionId, MediaKind kind, long timestamp, ByteBuf body, boolean isMetadata) {
    if (sessionId != session || publisher == null) {
      return;
    }
    Role role = roles.classify(kind, body, isMetadata);
    // onMetaData goes out at time 0 wherever it falls in the stream, as nginx-rtmp sends it: FFmpeg's FLV
    // demuxer (libavformat/flvdec.c, which ffplay, VLC and most recorders read RTMP and FLV with) takes
    // script data at a later time for a data stream, so a stream whose publisher reconnected, or that
    // updates its metadata (GStreamer's flvmux), showed a third, "text" stream, and `ffmpeg -i <url>
    // -map 0 -c copy out.mp4` failed on it.
    long out = isMetadata ? 0 : timeline.rebase(timestamp);
    long now = System.nanoTime();
    lastPacketNanos = now;
    MediaPacket packet = new MediaPacket(kind, out, role, body, registry.formats().encode(kind, out, body), now);
    if (kind != MediaKind.DATA) {
      rates.add(now, kind == MediaKind.VIDEO && role != Role.CONFIG ? 1 : 0, body.readableBytes(),
          kind == MediaKind.VIDEO);
      bytesIn += body.readableBytes();
    }
    if (role == Role.CONFIG) {
      meta.put(packet);
      if (kind == MediaKind.VIDEO) {
        videoDetails = CodecDetails.video(body);
        described(CodecDescription.video(body), audioCodec);
      } else if (kind == MediaKind.AUDIO) {
        audioDetails = CodecDetails.audio(body);
        described(videoCodec, CodecDescription.audio(body));
      }
    } else {
      if (kind == MediaKind.AUDIO && audioDetails.isEmpty() && CodecDetails.headerless(body)) {
        // G.711 or MP3 has no sequence header: its first frame says what the audio is (once: then it is known).
        audioDetails = CodecDetails.audio(body);
        described(videoCodec, CodecDescription.audio(body));
      }
      gop.add(packet);
    }
    fanout.packet(packet);
  }

  void attach(Subscription subscription) {
    StreamSubscriber subscriber = subscription.subscriber();
    LocalGroup group = fanout.groupFor(subscriber.context(), registry.gopMaxBytes(), registry.gopMaxFrames());
    count(subscriber, group);
    List<MediaPacket> start = gop.startPackets(meta);
    boolean live = publisher != null;
    LocalGroup target = group;
    if (target.context == home) {
      subscription.join(this, target, start, live);
    } else {
      LoopFanOut.hop(target.context, v -> subscription.join(this, target, start, live));
    }
  }

  /**
   * The group of the calling thread's event loop when a subscriber there can join it at once, else null.
   * Runs on that loop, not on home: it reads the group's own state, and only the fan-out array of home's.
   */
  LocalGroup joinableGroup(Object loop) {
    return fanout.joinable(loop);
  }

  /**
   * Counts a subscriber that joined {@code group} at once, on the group's loop, before home can hear of
   * anything else from that loop: as a task queued behind what the loop sent before, or right away when
   * the group is home's own loop, where another context's player may leave at once.
   */
  void countJoined(StreamSubscriber subscriber, LocalGroup group) {
    if (fanout.isHomeLoop(group.loop)) {
      count(subscriber, group);
    } else {
      LoopFanOut.hop(home, v -> count(subscriber, group));
    }
  }

  private void count(StreamSubscriber subscriber, LocalGroup group) {
    group.homeCount++;
    String protocol = subscriber.viewerProtocol();
    if (protocol != null) {
      viewers.merge(protocol, 1, Integer::sum);
    }
    if (subscribers++ == 0) {
      registry.upstream().wanted(key);
    }
  }

  void unsubscribe(Subscription subscription) {
    Object loop = EventLoops.loopOf(subscription.subscriber().context());
    LocalGroup group = fanout.group(loop);
    if (group == null) {
      return;
    }
    if (--group.homeCount == 0) {
      fanout.remove(loop);
    }
    String protocol = subscription.subscriber().viewerProtocol();
    if (protocol != null) {
      viewers.computeIfPresent(protocol, (p, count) -> count == 1 ? null : count - 1);
      if (viewers.isEmpty()) {
        registry.upstream().viewersLeft(key);
      }
    }
    if (--subscribers == 0) {
      registry.upstream().unwanted(key);
    }
    closeIfUnused();
  }

  /**
   * Keeps the codecs, and tells the gate those of a publisher of this node when they change; a relay's
   * origin does that.
   */
  private void described(String video, String audio) {
    if (video.equals(videoCodec) && audio.equals(audioCodec)) {
      return;
    }
    videoCodec = video;
    audioCodec = audio;
    if (!relaying) {
      registry.gate().describe(key, video, audio);
    }
  }

  private void resetSession() {
    timeline.newSession();
    meta.clear();
    roles.reset();
    videoCodec = "";
    audioCodec = "";
    videoDetails = Optional.empty();
    audioDetails = Optional.empty();
    bytesIn = 0;
    rates.reset();
    gop.clear();
  }

  private void closeIfUnused() {
    if (publisher == null && subscribers == 0 && claimsInFlight == 0 && !closed) {
      closed = true;
      registry.remove(this);
    }
  }

  /** A point-in-time view for logs and the API. Home context only. */
  StreamInfo info() {
    int width = videoDetails.map(CodecDetails.Video::width).orElse(0);
    int height = videoDetails.map(CodecDetails.Video::height).orElse(0);
    StreamInfo.Codecs codecs = new StreamInfo.Codecs(videoCodec, audioCodec, width, height, videoDetails,
        audioDetails);
    return new StreamInfo(key, publisher == null ? null : publisher.peer(), relaying, publishedAtMillis, subscribers,
        fanout.loops(), gop.frames(), gop.bytes(), codecs, rates.read(System.nanoTime()), Map.copyOf(viewers),
        bytesIn);
  }
}
