package dev.streamedge.rtmp.server;

import dev.streamedge.metrics.PublisherMeters;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.chunk.ChunkDecoder;
import dev.streamedge.rtmp.message.MessageReader;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a connection reads, from bytes to messages: the first byte (RTMPE or not), the handshake, the
 * chunk decoder and its part of the node's incomplete-bytes budget, the acknowledgements RTMP 1.0 §5.4.3
 * asks for, and each message through the {@link MessageReader} to its connection's handler. Lives on the
 * connection's context; the connection stays a dispatch of what comes out.
 */
final class ConnectionInput {

  /** What the input asks of the connection it reads for. */
  interface Owner {

    /** Whether the connection is closed: nothing more is read, and a message that closed it ends the read. */
    boolean closed();

    /** The first byte asked for RTMPE and the transport serves it: the connection changes its variant. */
    void rtmpeAsked();

    /** The meters of the connection's variant, as it is when the bytes come. */
    PublisherMeters publisherMeters();

    /** C2 was read: the chunk stream begins. */
    void handshakeDone();

    /** Closes the connection, for {@code reason}, with its one log line. */
    void close(String reason);
  }

  private final RtmpServer server;
  private final RtmpTransport transport;
  private final ConnectionWriter writer;
  private final MessageReader.Handler messages;
  private final Owner owner;
  private final ChunkDecoder decoder;
  /** Held, not made per read: a method reference to this input is an allocation each time. */
  private final Consumer<RtmpMessage> onMessage = this::onMessage;
  /** This connection's part of the node's account of partly received messages. */
  private final IncompleteBudget.Holder incomplete;
  /** Reads the handshake; null after it, so that a connection keeps no handshake buffer. */
  private ServerHandshakeReader handshake = new ServerHandshakeReader();
  private long bytesIn;
  private long bytesAcked;
  private long peerWindow;
  /** Whether the first byte asked for RTMPE (RTMPTE in a tunnel) and the transport serves it. */
  private boolean rtmpe;
  /** Bytes of complete messages held for publishes not yet allowed ({@link PublishHold}), and since when. */
  private long held;
  private long heldSinceNanos;
  /** Within {@link #data}: the account is brought up to date at its end. */
  private boolean reading;

  ConnectionInput(RtmpServer server, RtmpTransport transport, Context context, ConnectionWriter writer,
      MessageReader.Handler messages, Owner owner) {
    this.server = server;
    this.transport = transport;
    this.writer = writer;
    this.messages = messages;
    this.owner = owner;
    this.decoder = new ChunkDecoder(server.maxChunkSize(), server.maxMessageSize(), 2 * server.maxMessageSize(),
        server.config().maxChunkStreams());
    // Until it publishes, a connection sends commands: large messages are for media (see publishing()).
    decoder.limitMessages("max-message-size-before-publish", server.maxMessageSizeBeforePublish(),
        2 * server.maxMessageSizeBeforePublish());
    this.incomplete = server.incomplete().open(() -> context.runOnContext(v -> evicted()));
  }

  long bytesIn() {
    return bytesIn;
  }

  /** The decoder, whose partly received messages the connection's deadlines look at. */
  ChunkDecoder decoder() {
    return decoder;
  }

  /** The peer's Window Acknowledgement Size (RTMP 1.0 §5.4.4). */
  void peerWindow(long size) {
    peerWindow = size;
  }

  /** A publish was asked for: from now on messages may be as large as media (rtmp.max-message-size). */
  void publishing() {
    decoder.limitMessages("max-message-size", server.maxMessageSize(), 2 * server.maxMessageSize());
  }

  /**
   * The connection now holds {@code bytes} of messages for publishes not yet allowed, the first since
   * {@code sinceNanos}: they go on the node's account with the partly received ones.
   */
  void held(long bytes, long sinceNanos) {
    held = bytes;
    heldSinceNanos = sinceNanos;
    if (!reading && !owner.closed()) {
      holdIncomplete();
    }
  }

  /** Reads the messages a publish sent before it was allowed, now that it is; a bad one closes as it would have. */
  void pass(List<PublishHold.Held> messages) {
    try {
      for (PublishHold.Held message : messages) {
        if (owner.closed()) {
          return;
        }
        if (message.kind() != null) {
          this.messages.media(message.message(), message.kind());
        } else {
          this.messages.data(message.message(), message.payload());
        }
      }
    } catch (ProtocolException e) {
      badInput(e);
    } catch (RuntimeException e) {
      ConnectionLogs.ERROR.error("internal error on {}", transport.peer(), e);
      owner.close("internal error: " + e);
    }
  }

  /** Gives back the connection's part of the node's budget. */
  void close() {
    incomplete.close();
  }

  void data(Buffer data) {
    if (owner.closed()) {
      return;
    }
    ByteBuf in = WireBuffers.unwrap(data);
    if (bytesIn == 0 && in.isReadable()
        && RtmpeHandshake.asked(in.getUnsignedByte(in.readerIndex()), server.rtmpeEnabled(), transport)) {
      rtmpe = true;
      owner.rtmpeAsked();
    }
    bytesIn += in.readableBytes();
    owner.publisherMeters().received(in.readableBytes());
    try {
      if (handshake != null && handshake.read(in, rtmpe, transport, writer, bytesIn)) {
        handshake = null;
        owner.handshakeDone();
      }
      if (in.isReadable() && !owner.closed()) {
        reading = true;
        decoder.decode(in, onMessage);
        if (owner.closed()) {
          // A message closed the connection, and its close already released what it held.
          return;
        }
        holdIncomplete();
      }
      acknowledge();
    } catch (ProtocolException e) {
      badInput(e);
    } catch (RuntimeException e) {
      // A bug must cost this connection only, never the event loop.
      ConnectionLogs.ERROR.error("internal error on {}", transport.peer(), e);
      owner.close("internal error: " + e);
    } finally {
      reading = false;
    }
  }

  private void acknowledge() {
    // RTMP 1.0 §5.4.3: acknowledge each window of bytes received, as the peer asked.
    if (peerWindow > 0 && bytesIn - bytesAcked >= peerWindow && !owner.closed()) {
      bytesAcked = bytesIn;
      writer.control(MessageType.ACKNOWLEDGEMENT, RtmpWire.int32(bytesIn & 0xFFFFFFFFL));
    }
  }

  private void onMessage(RtmpMessage message) {
    if (owner.closed()) {
      return;
    }
    try {
      MessageReader.read(message, messages);
    } catch (ProtocolException e) {
      badInput(e);
    }
  }

  private void badInput(ProtocolException e) {
    if (owner.closed()) {
      // The decoder may throw on bytes after a message that already closed the connection: counted once.
      return;
    }
    server.metrics().refused(e.kind() == ProtocolException.Kind.MESSAGE_TOO_LONG
        ? Refusal.MESSAGE_SIZE : Refusal.BAD_INPUT);
    owner.close(e.getMessage());
  }

  /** Puts what partly received messages hold now on the node's account, which may close this connection or another. */
  private void holdIncomplete() {
    switch (incomplete.hold(decoder.bufferedBytes() + held, oldestNanos())) {
      case HELD -> { }
      case EVICTED -> evicted();
      case REFUSED -> {
        server.metrics().refused(Refusal.INCOMPLETE_BUDGET);
        owner.close("node-wide rtmp.max-incomplete-bytes is short, and this connection's partly received (or held "
            + "before its publish is allowed) messages waited longest or hold most");
      }
    }
  }

  /** Since when the oldest of what is on the account waits: a partly received message or a held one. */
  private long oldestNanos() {
    long since = decoder.oldestIncompleteNanos();
    return held > 0 && (!decoder.hasIncompleteMessage() || heldSinceNanos - since < 0) ? heldSinceNanos : since;
  }

  /** Another connection closed this one to make room in the node's account (see {@link IncompleteBudget}). */
  private void evicted() {
    if (!owner.closed()) {
      server.metrics().refused(Refusal.INCOMPLETE_BUDGET);
      owner.close("evicted: node-wide rtmp.max-incomplete-bytes is short, and this connection's partly received "
          + "(or held before its publish is allowed) messages, " + (System.nanoTime() - oldestNanos()) / 1_000_000
          + " ms old, waited longest or held most");
    }
  }
}
