package dev.streamedge.rtmpt;

import dev.streamedge.net.CipherLayer;
import dev.streamedge.net.TunnelCipher;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.rtmp.server.RtmpTransport;
import dev.streamedge.session.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;

/**
 * One RTMPT session: the transport of one RTMP connection, whose inbound bytes are the bodies of
 * {@code /send} requests and whose outbound bytes wait in a bounded queue for the next answer to a
 * {@code /send} or {@code /idle}. Lives on the event loop of its {@code /open}; every method runs there.
 *
 * <p>Clients ignore the polling-interval byte and poll again as soon as an answer comes (librtmp
 * without any pause), so an {@code /idle} that finds nothing to send is held until bytes arrive or
 * {@code rtmpt.idle-wait} passes: the bound on an idle session's request rate. At most one is held per
 * session; a second one answers the first, empty.
 *
 * <p>A client that opens with C0 = 6 gets RTMPE inside the tunnel (RTMPTE): the connection puts the
 * RC4 layer on through {@link #encrypt}, and a {@link TunnelCipher} works on the bodies and the queue.
 */
final class RtmptSession implements RtmpTransport {

  /**
   * The polling-interval byte that starts every answer. Flash Player waited this many units before its
   * next poll; held idles make waiting pointless, so it asks for the next poll at once.
   */
  private static final int POLL_AT_ONCE = 1;

  private enum State { OPEN, ENDING, CLOSED }

  private final RtmptSessions sessions;
  private final String id;
  private final Context context;
  private final String peer;
  private final String address;
  private final Protocol protocol;
  private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
  private final Runnable flushTask = this::answerHeld;
  private Listener listener;
  /** RTMPE's RC4 once the client asked for it (RTMPTE); null until then and on plain sessions. */
  private TunnelCipher cipher;
  private State state = State.OPEN;
  private long queued;
  private boolean saidFull;
  private Answer held;
  private long heldTimer = -1;
  private boolean flushScheduled;
  /** The sequence number of the last request; clients count from 0 (ffmpeg) or 2 (librtmp). */
  private long lastSequence = -1;
  /** Read by the node's reaper from another thread. */
  private volatile long lastRequestNanos = System.nanoTime();

  /** {@code protocol}: RTMPT, or RTMPTS when the session was opened over HTTPS. */
  RtmptSession(RtmptSessions sessions, String id, Context context, String peer, String address, Protocol protocol) {
    this.sessions = sessions;
    this.id = id;
    this.context = context;
    this.peer = peer;
    this.address = address;
    this.protocol = protocol;
  }

  String id() {
    return id;
  }

  Context context() {
    return context;
  }

  long lastRequestNanos() {
    return lastRequestNanos;
  }

  boolean isOpen() {
    return state != State.CLOSED;
  }

  // ---- the transport, as the RTMP connection uses it ----

  @Override
  public void start(Listener listener) {
    this.listener = listener;
  }

  @Override
  public Protocol protocol() {
    return protocol;
  }

  @Override
  public String peer() {
    return peer;
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public void write(Buffer bytes) {
    enqueue(bytes);
  }

  @Override
  public void writeMedia(Buffer media) {
    enqueue(media);
  }

  /** Half the queue bound, as a socket's write queue: the players' own queues take over from there. */
  @Override
  public boolean full() {
    if (queued >= sessions.fullMark()) {
      saidFull = true;
      return true;
    }
    return false;
  }

  /** What waits for the client to fetch it; what answers carry is as good as delivered. */
  @Override
  public long unackedBytes() {
    return queued;
  }

  /**
   * RTMPE in the tunnel (RTMPTE) over plain HTTP; over HTTPS (RTMPTS) it would gain nothing and no
   * client asks for it, so it is refused at C0 as RTMPE inside RTMPS is.
   */
  @Override
  public boolean canEncrypt() {
    return protocol == Protocol.RTMPT;
  }

  @Override
  public Protocol encryptedProtocol() {
    return Protocol.RTMPTE;
  }

  /** The RC4 goes on the bodies and the answer queue, not on the HTTP around them (see {@link TunnelCipher}). */
  @Override
  public void encrypt(CipherLayer.Keystream decrypt, long plainIn, CipherLayer.Keystream encrypt, long plainOut) {
    cipher = new TunnelCipher(decrypt, plainIn, encrypt, plainOut);
  }

  @Override
  public void end() {
    if (state != State.OPEN) {
      return;
    }
    state = State.ENDING;
    if (queued == 0) {
      finish();
    } else {
      scheduleFlush();
    }
  }

  @Override
  public void close() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    queue.clear();
    queued = 0;
    if (cipher != null) {
      cipher.drained();
    }
    releaseHeld();
    sessions.closed(this);
  }

  private void enqueue(Buffer bytes) {
    if (state != State.OPEN) {
      return;
    }
    // The shared media buffer itself, no copy: unwrap gives a view that an answer may write as it is;
    // under RTMPTE's cipher, a copy into the session's own buffer, encrypted there.
    ByteBuf buf = WireBuffers.unwrap(bytes);
    if (cipher == null) {
      queue.add(buf);
    } else {
      cipher.queue(buf, queue);
    }
    queued += buf.readableBytes();
    if (queued > sessions.maxQueuedBytes()) {
      listener.failed("the client fetched nothing while " + queued + " bytes waited (rtmpt.max-queued-bytes "
          + sessions.maxQueuedBytes() + ")");
      return;
    }
    scheduleFlush();
  }

  /** A held idle is answered at the end of this event-loop turn, with everything the turn wrote. */
  private void scheduleFlush() {
    if (held != null && !flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> flushTask.run());
    }
  }

  // ---- the requests, as RtmptRoutes hands them over ----

  /**
   * Counts a request with sequence number {@code sequence}: false for one not above the last (replayed
   * or out of order), which the caller refuses and which closes the session, since the bytes of the
   * answer it replaces are lost to the client.
   */
  boolean sequence(long sequence) {
    lastRequestNanos = System.nanoTime();
    if (sequence <= lastSequence) {
      return false;
    }
    lastSequence = sequence;
    return true;
  }

  long lastSequence() {
    return lastSequence;
  }

  /** Bytes of a {@code /send} body, in order. */
  void receive(Buffer bytes) {
    if (state != State.OPEN) {
      return;
    }
    if (cipher == null) {
      // The connection may put the cipher on while it reads these bytes (C0+C1): it counts from the next.
      listener.data(bytes);
    } else {
      cipher.receive(bytes, this::deliver);
    }
  }

  /** One part of a body past the cipher: the connection may have closed the session on the part before. */
  private void deliver(Buffer bytes) {
    if (state == State.OPEN) {
      listener.data(bytes);
    }
  }

  /** Answers a {@code /send} at once, with what is queued. */
  void answer(Answer answer) {
    if (state == State.CLOSED) {
      answer.status(404, false);
      return;
    }
    respond(answer);
  }

  /** Answers an {@code /idle} now if there is something to send, else holds it (see the class comment). */
  void hold(Answer answer) {
    if (state == State.CLOSED) {
      answer.status(404, false);
      return;
    }
    if (queued > 0 || state == State.ENDING) {
      respond(answer);
      return;
    }
    releaseHeld();
    held = answer;
    heldTimer = sessions.vertx().setTimer(sessions.idleWaitMillis(), t -> {
      heldTimer = -1;
      answerHeld();
    });
  }

  /** The client ends the session ({@code /close}). */
  void closeByClient(Answer answer) {
    if (state == State.CLOSED) {
      answer.status(404, false);
      return;
    }
    answer.ok(Unpooled.wrappedBuffer(new byte[] {POLL_AT_ONCE}));
    close();
    listener.closed();
  }

  /** The node shuts down: the connection lets its players go. */
  void drain() {
    if (state == State.OPEN) {
      listener.draining();
    }
  }

  /** The reaper found no request for {@code rtmpt.session-timeout}; checked again here, on the session's loop. */
  void reapIfSilent(long timeoutNanos, String timeout) {
    if (state != State.CLOSED && System.nanoTime() - lastRequestNanos > timeoutNanos) {
      sessions.reaped();
      listener.failed("no RTMPT request for " + timeout + " (rtmpt.session-timeout)");
      // The connection closes this transport; a session that was ending has no connection to do it.
      close();
    }
  }

  /** A request the session refuses closes it: {@code reason} goes to the connection's disconnect line. */
  void fail(String reason) {
    if (state != State.CLOSED) {
      listener.failed(reason);
      close();
    }
  }

  private void answerHeld() {
    flushScheduled = false;
    if (held == null) {
      return;
    }
    Answer answer = held;
    held = null;
    cancelTimer();
    respond(answer);
  }

  /** Answers an earlier held idle with nothing, or 404 once the session is closed. */
  private void releaseHeld() {
    if (held != null) {
      Answer answer = held;
      held = null;
      cancelTimer();
      if (state == State.CLOSED) {
        answer.status(404, false);
      } else {
        answer.ok(Unpooled.wrappedBuffer(new byte[] {POLL_AT_ONCE}));
      }
    }
  }

  private void cancelTimer() {
    if (heldTimer >= 0) {
      sessions.vertx().cancelTimer(heldTimer);
      heldTimer = -1;
    }
  }

  /** Moves the queue into one answer: the polling byte, then every queued buffer as it is. */
  private void respond(Answer answer) {
    if (queued == 0 || !answer.writable()) {
      // A client that does not read its answers gets nothing more: its queue fills, and its players
      // fall behind and are cut as slow players are.
      answer.ok(Unpooled.wrappedBuffer(new byte[] {POLL_AT_ONCE}));
      return;
    }
    CompositeByteBuf body = Unpooled.compositeBuffer(queue.size() + 1);
    body.addComponent(true, Unpooled.wrappedBuffer(new byte[] {POLL_AT_ONCE}));
    for (ByteBuf buf = queue.poll(); buf != null; buf = queue.poll()) {
      body.addComponent(true, buf);
    }
    queued = 0;
    if (cipher != null) {
      cipher.drained();
    }
    answer.ok(body);
    if (state == State.ENDING) {
      finish();
    } else if (saidFull) {
      saidFull = false;
      listener.writable();
    }
  }

  /** An ending session whose last bytes went out closes, as a socket does after end(). */
  private void finish() {
    close();
    listener.closed();
  }
}
