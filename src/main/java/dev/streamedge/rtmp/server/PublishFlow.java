package dev.streamedge.rtmp.server;

import dev.streamedge.auth.AuthAction;
import dev.streamedge.auth.AuthRequest;
import dev.streamedge.media.MediaKind;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.message.DataMessage;
import dev.streamedge.rtmp.message.RtmpMessage;
import dev.streamedge.stream.PublishRefusal;
import dev.streamedge.stream.PublishSession;
import dev.streamedge.stream.StreamKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;

/**
 * The publish flow on a connection's message streams (RTMP 1.0 §7.3.1): the name, the edge refusal,
 * auth, the claim of the stream under the publish rules (a takeover is refused or wins there), then
 * script data into the stream, bounded. The twin of {@link PlayFlow}. Audio and video do not pass here:
 * the connection hands them to the stream's {@link PublishSession} itself. On the connection's context.
 */
final class PublishFlow {

  private final RtmpConnection connection;
  private final StreamAccess access;
  private final RtmpServer server;
  private final ConnectionWriter writer;

  PublishFlow(RtmpConnection connection, StreamAccess access, RtmpServer server, ConnectionWriter writer) {
    this.connection = connection;
    this.access = access;
    this.server = server;
    this.writer = writer;
  }

  /** {@code publish} on an idle message stream, with what the command said besides the name. */
  void publish(int streamId, NetStream stream, String rawName, List<Map.Entry<String, String>> commandFields) {
    StreamName name = access.nameOrRefuse(streamId, rawName, "publish", "NetStream.Publish.BadName");
    if (name == null) {
      return;
    }
    StreamKey key = access.key(name);
    if (!server.acceptsPublishers()) {
      writer.status(streamId, "error", "NetStream.Publish.Denied", "This node is an edge: publish to an origin node.");
      ConnectionLogs.REFUSED.info("publish refused {} stream={} reason=edge node", connection.peer(), key);
      connection.end("publish refused: this node is an edge");
      return;
    }
    AuthRequest request = access.request(AuthAction.PUBLISH, key, name.query(), commandFields);
    NetStream.Configs carried = stream.carried;
    stream.carried = null;
    stream.pending = true;
    connection.holds().asked(stream);
    server.auth().check(request).onComplete(checked -> {
      if (!connection.holds(streamId, stream)) {
        stream.pending = false;
        connection.holds().drop(stream);
        return;
      }
      if (!checked.result().allowed()) {
        stream.pending = false;
        connection.holds().drop(stream);
        access.refuseUnauthorized(streamId, "NetStream.Publish.Unauthorized", "publish", key,
            checked.result().reason());
        return;
      }
      StreamKey published = checked.result().streamFor(key);
      if (!published.equals(key)) {
        // nginx-rtmp's on_publish rename: the publish goes on under the name the callback gave; its update
        // and done events name the key, as nginx-rtmp's do. The key is left out of the line: it is the
        // encoder's secret.
        ConnectionLogs.PUBLISH.info("publish renamed {} stream={} by the publish callback", connection.peer(),
            published);
      }
      claim(streamId, stream, published, request, checked.result().redirect(), carried);
    });
  }

  /**
   * Claims {@code key} for an allowed publish, {@code request}; the publish rules decide against a live
   * publisher. A publish redirected from another name starts with what it {@code carried} from there. Once it is
   * published, a {@code pushTo} URL (nginx-rtmp's on_publish 3xx with an RTMP {@code Location}) gets a push
   * of it that lasts as long as this publish.
   */
  private void claim(int streamId, NetStream stream, StreamKey key, AuthRequest request, String pushTo,
      NetStream.Configs carried) {
    server.registry().claim(key, connection, server.auth().credential(request)).onComplete(done -> {
      stream.pending = false;
      PublishSession session = done.result().session();
      if (!connection.holds(streamId, stream)) {
        connection.holds().drop(stream);
        if (session != null) {
          session.close();
        }
        return;
      }
      if (session == null) {
        connection.holds().drop(stream);
        PublishRefusal refusal = done.result().refusal();
        writer.status(streamId, "error", "NetStream.Publish.BadName", refusal.describe(key));
        if (refusal.isTakeover()) {
          server.metrics().refused(Refusal.TAKEOVER);
        }
        ConnectionLogs.REFUSED.info("publish refused {} stream={} reason={}", connection.peer(), key,
            refusal.reason());
        connection.end("publish refused: " + refusal.describe(key));
        return;
      }
      stream.publishing = session;
      connection.publishingStarted();
      if (carried != null) {
        carryOver(stream, session, carried);
      }
      stream.auth = request;
      stream.unwatch = server.auth().watch(request, key, connection::end);
      writer.streamBegin(streamId);
      writer.status(streamId, "status", "NetStream.Publish.Start", key.name() + " is now published.");
      ConnectionLogs.PUBLISH.info("publish {} stream={} protocol={}", connection.peer(), key,
          connection.protocol().label());
      // After what the encoder sent before it knew it was allowed: nginx-rtmp's push does not wait to know.
      connection.holds().pass(stream);
      if (!pushTo.isEmpty()) {
        server.registry().pushRequested(key, pushTo);
      }
    });
  }

  /**
   * A publish redirected here from another name: the new stream starts with the metadata and sequence headers
   * the encoder sent to the old one, which it will not send again.
   */
  private void carryOver(NetStream stream, PublishSession session, NetStream.Configs configs) {
    if (configs.metadata() != null) {
      try {
        DataMessage data = DataMessage.unwrap(Unpooled.wrappedBuffer(configs.metadata()));
        stream.metadataPassed(Unpooled.wrappedBuffer(configs.metadata()));
        session.metadata(data.body());
      } catch (ProtocolException e) {
        // It was decoded once already, when it came.
      }
    }
    if (configs.video() != null) {
      stream.mediaPassed(MediaKind.VIDEO, Unpooled.wrappedBuffer(configs.video()));
      session.media(MediaKind.VIDEO, 0, Unpooled.wrappedBuffer(configs.video()));
    }
    if (configs.audio() != null) {
      stream.mediaPassed(MediaKind.AUDIO, Unpooled.wrappedBuffer(configs.audio()));
      session.media(MediaKind.AUDIO, 0, Unpooled.wrappedBuffer(configs.audio()));
    }
  }

  /**
   * A script data message on a publishing stream, its payload after any AMF3 format byte: bounded, then
   * unwrapped from {@code @setDataFrame}; {@code onMetaData} is kept by the stream for late joiners.
   */
  void data(NetStream stream, RtmpMessage message, ByteBuf payload) throws ProtocolException {
    if (stream.repeatsMetadata(payload)) {
      // The same bytes as the metadata last passed on: nothing new for players. GStreamer's flvmux sends
      // its metadata again at every tag event, a dozen times in its first second; those repeats would
      // otherwise count against rtmp.max-metadata-per-second, which then dropped the ones that differ.
      return;
    }
    if (!passesDataBounds(stream, payload.readableBytes())) {
      return;
    }
    DataMessage data = DataMessage.unwrap(payload);
    if (data.metadata()) {
      stream.metadataPassed(payload);
      stream.publishing.metadata(data.body());
    } else {
      stream.publishing.media(MediaKind.DATA, message.timestamp(), data.body());
    }
  }

  /**
   * Whether a script data message of {@code size} bytes is passed on: each one goes to every player of
   * the stream, so its size and rate are bounded ({@code rtmp.max-metadata-size},
   * {@code rtmp.max-metadata-per-second}); the others are dropped, counted and logged, before any decode.
   */
  private boolean passesDataBounds(NetStream stream, int size) {
    String why = null;
    if (size > server.config().maxMetadataSize().bytes()) {
      why = "size " + size + " bytes over rtmp.max-metadata-size";
    } else {
      long second = System.currentTimeMillis() / 1000;
      if (second != stream.dataSecond) {
        stream.dataSecond = second;
        stream.dataInSecond = 0;
      }
      if (++stream.dataInSecond > server.config().maxMetadataPerSecond()) {
        why = "more than rtmp.max-metadata-per-second";
      }
    }
    if (why == null) {
      return true;
    }
    connection.publisherMeters().dataDropped();
    ConnectionLogs.DATA_DROPPED.info("script data dropped {} stream={} reason={}", connection.peer(),
        stream.publishing.key(), why);
    return false;
  }

  /** Ends the publish of {@code stream}, which is publishing. */
  void stop(NetStream stream, String why) {
    ConnectionLogs.STOP.info("unpublish {} stream={} reason={}", connection.peer(), stream.publishing.key(), why);
    stream.publishing.close();
    stream.publishing = null;
    stream.publishEnded();
    connection.publisherMeters().publisherStopped();
  }
}
