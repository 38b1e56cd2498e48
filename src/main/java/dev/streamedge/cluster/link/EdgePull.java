package dev.streamedge.cluster.link;

import dev.streamedge.net.WireBuffers;
import dev.streamedge.stream.PublishSession;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamPublisher;
import java.util.ArrayDeque;

/**
 * This node's pull of one stream from its origin, on the link context: which node it comes from, the
 * link's frame sequence and acknowledgements, and the relay that publishes the frames into the local
 * stream while the origin has a publisher. One per stream wanted here, kept while local viewers want it
 * and for the linger after; the link itself follows the directory from origin to origin.
 */
final class EdgePull {

  private final EdgePulls owner;
  private final StreamKey key;
  boolean wanted;
  long lingerTimer = -1;
  long retryTimer = -1;
  /** The node pulled from, or null. */
  String origin;
  /** This pull's current link number, or -1 while there is no link. */
  long link = -1;
  private FrameSequencer sequencer;
  private long window;
  private long acknowledged;
  private Relay relay;
  private PublishSession session;
  /** Frames that came while the relay's session was being opened; at most a window of them. */
  private final ArrayDeque<MediaFrame> pending = new ArrayDeque<>();
  private long pendingBytes;
  private boolean relayedOnLink;
  /** The frame count an unpublish waits for (the origin's publisher left after that many), or -1. */
  private long unpublishAfter = -1;

  EdgePull(EdgePulls owner, StreamKey key) {
    this.owner = owner;
    this.key = key;
  }

  StreamKey key() {
    return key;
  }

  /** A new link: frames are counted from zero again. */
  void linked(long number, long windowBytes) {
    link = number;
    relayedOnLink = false;
    unpublishAfter = -1;
    sequencer = new FrameSequencer();
    window = windowBytes;
    acknowledged = 0;
  }

  void granted(long windowBytes) {
    window = windowBytes;
  }

  void frame(MediaFrame frame) {
    if (sequencer.accept(frame)) {
      if (session != null) {
        deliver(frame);
      } else if (relay != null && pendingBytes + frame.size() <= window) {
        pending.add(frame);
        pendingBytes += frame.size();
      }
    }
    if (sequencer.receivedBytes() - acknowledged >= window / 4) {
      acknowledge();
    }
    if (unpublishAfter >= 0 && sequencer.hasAllBefore(unpublishAfter)) {
      unpublished();
    }
  }

  /** Sends the origin the bytes received, when any are unacknowledged. */
  void acknowledge() {
    if (link >= 0 && sequencer.receivedBytes() > acknowledged) {
      acknowledged = sequencer.receivedBytes();
      owner.acknowledge(this, acknowledged);
    }
  }

  long gaps() {
    return sequencer == null ? 0 : sequencer.gaps();
  }

  /** The origin has a publisher: a relay publishes here what comes. */
  void published() {
    if (unpublishAfter >= 0) {
      unpublished(); // the last publisher's session ends before the next one's starts
    }
    if (relay != null) {
      return;
    }
    Relay opening = new Relay("node " + origin);
    relay = opening;
    relayedOnLink = true;
    owner.registry().relay(key, opening).onSuccess(opened -> {
      if (relay != opening) {
        if (opened != null) {
          opened.close();
        }
        return;
      }
      if (opened == null) {
        relay = null; // a publisher of this node has the stream: it is the origin now
      } else {
        session = opened;
        pending.forEach(this::deliver);
      }
      pending.clear();
      pendingBytes = 0;
    });
  }

  /**
   * The origin's publisher left after {@code frames} frames of this link (-1: not said): unpublished here
   * at once when they have all come, else when the last of them does. Returns whether it was at once.
   */
  boolean unpublishedAfter(long frames) {
    if (frames < 0 || sequencer.hasAllBefore(frames)) {
      unpublished();
      return true;
    }
    unpublishAfter = frames;
    return false;
  }

  /** Ends a session whose unpublish still waits for frames (given up on them). */
  void unpublishWaiting() {
    if (unpublishAfter >= 0) {
      unpublished();
    }
  }

  /** The origin's publisher left, or the link ended: local players are told the stream is unpublished. */
  void unpublished() {
    unpublishAfter = -1;
    relay = null;
    pending.clear();
    pendingBytes = 0;
    if (session != null) {
      session.close();
      session = null;
    }
  }

  /** Whether a relay started to publish the stream here during the current link (or the last one). */
  boolean relayedOnLink() {
    return relayedOnLink;
  }

  private void deliver(MediaFrame frame) {
    if (frame.metadata()) {
      session.metadata(WireBuffers.unwrap(frame.body()));
    } else {
      session.media(frame.kind(), frame.timestamp(), WireBuffers.unwrap(frame.body()));
    }
  }

  /** The stream's publisher as the stream core sees it: one per origin session. */
  private final class Relay implements StreamPublisher {

    private final String peer;

    Relay(String peer) {
      this.peer = peer;
    }

    @Override
    public void kick(String reason) {
      owner.kicked(EdgePull.this, this, reason);
    }

    @Override
    public String peer() {
      return peer;
    }
  }

  /** Whether {@code publisher} is this pull's current relay. Link context only. */
  boolean relays(StreamPublisher publisher) {
    return relay == publisher;
  }
}
