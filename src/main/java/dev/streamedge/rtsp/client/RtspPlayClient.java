package dev.streamedge.rtsp.client;

import dev.streamedge.media.MediaKind;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.rtp.receive.FlvFromRtp;
import dev.streamedge.rtp.receive.RtpFormatException;
import dev.streamedge.rtp.receive.SdpDescription;
import dev.streamedge.rtp.receive.SdpMedia;
import dev.streamedge.rtsp.InterleavedFrame;
import dev.streamedge.rtsp.MessageBuffer;
import dev.streamedge.rtsp.RtspDecoder;
import dev.streamedge.rtsp.RtspFormatException;
import dev.streamedge.rtsp.RtspMessage;
import dev.streamedge.rtsp.RtspReply;
import dev.streamedge.rtsp.RtspSourceUrl;
import dev.streamedge.rtsp.RtspUris;
import dev.streamedge.rtsp.SessionHeader;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One RTSP play session of a source (RFC 2326 §10): OPTIONS, DESCRIBE, a SETUP per track that {@link FlvFromRtp}
 * reads with RTP interleaved on this connection (§10.12), or over UDP when the first SETUP is refused 461 ({@link
 * UdpPorts}), PLAY; a 401 is answered once per request with the URL's credentials (Basic or Digest, {@link
 * Requests}), a 3xx followed to its Location. Then each RTP or RTCP packet goes to {@link FlvFromRtp}, whose FLV
 * bodies go to the listener, and the session is kept alive with GET_PARAMETER (OPTIONS when the server's OPTIONS
 * answer does not list it) every half of the timeout its Session header gives ({@link Liveness}). A source that
 * sends nothing for {@link RtspClientLimits#silenceMillis} is dropped. Everything runs on the caller's context; what
 * one connection holds is one reply or interleaved frame being read (the decoder's limits) and what {@link
 * FlvFromRtp} holds by its own bounds.
 */
public final class RtspPlayClient {

  /** What the session gives: FLV bodies of the stream, then its end, once. */
  public interface Listener {

    /** One FLV tag body (an unpooled heap buffer, the receiver's to keep), its timestamp in milliseconds. */
    void media(MediaKind kind, long timestampMs, ByteBuf body);

    /** The session ended after it played: the source closed, went silent or sent what cannot be read. */
    void closed(String reason);
  }

  /** Where the session stands: the request whose reply it waits for, then PLAYING. */
  enum State { CONNECTING, OPTIONS, DESCRIBE, SETUP, PLAY, PLAYING, CLOSED }

  /** Redirects (§7.1.1: a 3xx with a Location, to OPTIONS or DESCRIBE) followed before a play fails, as ffmpeg's. */
  static final int MAX_REDIRECTS = 3;

  private final Vertx vertx;
  private final NetClientOptions network;
  private final int redirectsLeft;
  private final NetClient net;
  private final RtspSourceUrl url;
  private final RtspClientLimits limits;
  private final Listener listener;
  private final Promise<RtspPlayClient> playing = Promise.promise();
  private final MessageBuffer received;
  private final Requests requests;
  private State state = State.CONNECTING;
  private NetSocket socket;
  private boolean authTried;
  private boolean getParameter;
  private String base;
  private List<SdpMedia> media = List.of();
  private FlvFromRtp flv;
  private TrackChannels tracks;
  /** The UDP ports of the tracks, once a source refused RTP over TCP; null before. */
  private UdpPorts udp;
  private final Liveness liveness;

  private RtspPlayClient(Vertx vertx, NetClientOptions network, int redirectsLeft, RtspSourceUrl url,
      RtspClientLimits limits, Listener listener) {
    this.vertx = vertx;
    this.network = network;
    this.redirectsLeft = redirectsLeft;
    this.net = vertx.createNetClient(SocketOptions.of(network, url));
    this.url = url;
    this.limits = limits;
    this.listener = listener;
    this.received = new MessageBuffer(RtspDecoder.forReplies(limits.maxReplyBytes(), limits.maxReplyBytes()));
    this.requests = new Requests(url);
    this.liveness = new Liveness(vertx, limits.silenceMillis());
  }

  /**
   * Connects to {@code url} and plays it; on the caller's context. Completes once the source answered PLAY with
   * 200, or fails with why it did not (the status line of the request it refused, a track it does not have...).
   *
   * @param network the connection's options: timeouts, buffers; TLS is switched on for {@code rtsps}
   */
  public static Future<RtspPlayClient> play(Vertx vertx, NetClientOptions network, RtspSourceUrl url,
      RtspClientLimits limits, Listener listener) {
    return play(vertx, network, MAX_REDIRECTS, url, limits, listener);
  }

  private static Future<RtspPlayClient> play(Vertx vertx, NetClientOptions network, int redirectsLeft,
      RtspSourceUrl url, RtspClientLimits limits, Listener listener) {
    RtspPlayClient client = new RtspPlayClient(vertx, network, redirectsLeft, url, limits, listener);
    NetClient net = client.net;
    net.connect(url.port(), url.host()).onComplete(connected -> {
      if (connected.failed()) {
        net.close();
        client.state = State.CLOSED;
        client.playing.tryFail(connected.cause());
      } else if (client.state == State.CLOSED) {
        connected.result().close(); // closed while it connected
      } else {
        client.connected(connected.result());
      }
    });
    return client.playing.future();
  }

  /** Tears the session down (a TEARDOWN, best effort) and closes the connection; the listener hears nothing more. */
  public void close() {
    if (state == State.CLOSED) {
      return;
    }
    boolean tearDown = requests.session() != null && socket != null;
    end();
    playing.tryFail("closed");
    if (tearDown) {
      // The client's connections close with it: only once the TEARDOWN is written.
      socket.end(requests.oneOff("TEARDOWN", base == null ? url.uri() : base)).onComplete(done -> net.close());
    } else {
      net.close();
    }
  }

  State state() {
    return state;
  }

  private void connected(NetSocket connected) {
    socket = connected;
    socket.handler(this::received);
    socket.closeHandler(v -> failed("the source closed the connection"));
    socket.exceptionHandler(e -> failed("socket error: " + e.getMessage()));
    liveness.watch(silent -> failed("the source sent nothing for " + silent + " ms"));
    state = State.OPTIONS;
    send("OPTIONS", url.uri(), List.of());
  }

  private void received(Buffer data) {
    if (state == State.CLOSED) {
      return;
    }
    if (state != State.PLAYING) {
      liveness.heard(); // an answer: once playing, only media counts (keep-alives are answered too)
    }
    received.append(data.getBytes());
    while (state != State.CLOSED) {
      RtspMessage message;
      try {
        message = received.next();
      } catch (RtspFormatException bad) {
        failed("the source sent what is not RTSP: " + bad.getMessage());
        return;
      }
      if (message == null) {
        break;
      }
      if (message instanceof InterleavedFrame frame) {
        frame(frame);
      } else if (message instanceof RtspReply reply) {
        reply(reply);
      } else {
        // A request from the server (§10: it may send some); nothing here answers one.
        failed("the source sent a request, which this client does not answer: " + message);
        return;
      }
    }
    received.compact();
  }

  private void frame(InterleavedFrame frame) {
    long now = liveness.heard();
    if (tracks != null) {
      tracks.deliver(frame, flv, now);
    }
  }

  private void reply(RtspReply reply) {
    if (state == State.PLAYING) {
      return; // a keep-alive's answer: whatever it says, the session is there
    }
    if (reply.cseq() >= 0 && reply.cseq() != requests.cseq()) {
      return; // the answer to something sent before (a keep-alive after a 401): not the one awaited
    }
    if (reply.status() == 401 && !authTried) {
      Buffer again = requests.again(reply.header("WWW-Authenticate"));
      if (again != null) {
        authTried = true;
        socket.write(again);
        return;
      }
    }
    authTried = false;
    if (reply.status() == 401) {
      failed(requests.method() + " " + reply.status() + " " + reply.reason() + (!requests.hasCredentials()
          ? ": the URL has no credentials"
          : ": the credentials were refused"));
      return;
    }
    if (reply.status() / 100 == 3 && (state == State.OPTIONS || state == State.DESCRIBE)
        && reply.header("Location") != null) {
      redirect(reply);
      return;
    }
    switch (state) {
      case OPTIONS -> options(reply);
      case DESCRIBE -> describe(reply);
      case SETUP -> setup(reply);
      case PLAY -> play(reply);
      default -> { }
    }
  }

  /**
   * Plays the Location instead, with its own credentials (none are carried to another URL), on a new connection;
   * this one closes. The play completes with the new session.
   */
  private void redirect(RtspReply reply) {
    String said = requests.method() + " " + reply.status() + " " + reply.reason();
    if (redirectsLeft == 0) {
      failed(said + ": more than " + MAX_REDIRECTS + " redirects");
      return;
    }
    RtspSourceUrl next;
    try {
      next = RtspSourceUrl.parse(reply.header("Location"));
    } catch (IllegalArgumentException bad) {
      failed(said + ": its Location is no RTSP URL: " + bad.getMessage());
      return;
    }
    end();
    net.close();
    play(vertx, network, redirectsLeft - 1, next, limits, listener).onComplete(playing);
  }

  private void options(RtspReply reply) {
    // Any answer will do (some cameras answer OPTIONS 404): it says whether GET_PARAMETER keeps a session alive.
    String methods = reply.header("Public");
    getParameter = methods != null && methods.toUpperCase(Locale.ROOT).contains("GET_PARAMETER");
    state = State.DESCRIBE;
    send("DESCRIBE", url.uri(), List.of(Map.entry("Accept", "application/sdp")));
  }

  private void describe(RtspReply reply) {
    if (!ok(reply)) {
      return;
    }
    String sdpText = new String(reply.body(), StandardCharsets.UTF_8);
    try {
      SdpDescription sdp = SdpDescription.parse(sdpText);
      media = sdp.media();
      flv = new FlvFromRtp(media, limits.maxFrameSize(), listener::media);
    } catch (RtpFormatException bad) {
      failed("DESCRIBE: the source's SDP: " + bad.getMessage());
      return;
    }
    base = RtspUris.base(url.uri(), reply.header("Content-Base"), reply.header("Content-Location"));
    tracks = TrackChannels.of(flv, media.size());
    state = State.SETUP;
    setupNext();
  }

  private void setupNext() {
    String trackUri = RtspUris.trackUri(base, media.get(tracks.track()).control());
    if (!tracks.udp()) {
      send("SETUP", trackUri, List.of(Map.entry("Transport", tracks.transportAsked())));
      return;
    }
    int track = tracks.track();
    udp.bindPair(packet -> datagram(track, false, packet), packet -> datagram(track, true, packet))
        .onComplete(bound -> {
          if (state != State.SETUP) {
            return;
          } else if (bound.failed()) {
            failed("SETUP: " + bound.cause().getMessage());
          } else {
            send("SETUP", trackUri, List.of(Map.entry("Transport", tracks.transportAsked(bound.result()))));
          }
        });
  }

  /** An RTP or RTCP datagram of SDP media {@code track}, from the source's host. */
  private void datagram(int track, boolean rtcp, DatagramPacket packet) {
    if (state == State.CLOSED) {
      return;
    }
    long now = liveness.heard();
    if (rtcp) {
      flv.rtcp(track, WireBuffers.unwrap(packet.data()), now);
    } else {
      flv.rtp(track, WireBuffers.unwrap(packet.data()), now);
    }
  }

  private void setup(RtspReply reply) {
    if (reply.status() == 461 && tracks.atFirst() && !tracks.udp()) {
      // RTP over TCP refused (a UDP-only server, as VLC's): the tracks are set up again over UDP (§12.39).
      udp = new UdpPorts(vertx, socket.remoteAddress().hostAddress());
      tracks.overUdp();
      setupNext();
      return;
    }
    if (!ok(reply)) {
      return;
    }
    boolean more;
    try {
      if (requests.session() == null) {
        String header = reply.header("Session");
        if (header == null) {
          failed("SETUP: the source's answer has no Session");
          return;
        }
        requests.session(SessionHeader.parse(header));
      }
      more = tracks.answered(reply.header("Transport"));
    } catch (RtspFormatException | IllegalArgumentException bad) {
      failed("SETUP: " + bad.getMessage());
      return;
    }
    if (more) {
      setupNext();
    } else {
      state = State.PLAY;
      send("PLAY", base, List.of(Map.entry("Range", "npt=0.000-")));
    }
  }

  private void play(RtspReply reply) {
    if (!ok(reply)) {
      return;
    }
    state = State.PLAYING;
    liveness.heard();
    liveness.keepAlive(requests.session().timeoutSeconds(), this::keepAlive);
    playing.tryComplete(this);
  }

  private void keepAlive() {
    if (state == State.PLAYING) {
      socket.write(requests.oneOff(getParameter ? "GET_PARAMETER" : "OPTIONS", base));
    }
  }

  private boolean ok(RtspReply reply) {
    if (reply.status() / 100 == 2) {
      return true;
    }
    failed(requests.method() + " " + reply.status() + " " + reply.reason());
    return false;
  }

  private void send(String method, String uri, List<Map.Entry<String, String>> headers) {
    socket.write(requests.next(method, uri, headers));
  }

  /** Ends the session: before PLAY's answer the play fails, after it the listener hears why, once. */
  private void failed(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasPlaying = state == State.PLAYING;
    playing.tryFail(reason);
    end();
    net.close();
    if (wasPlaying) {
      flv.end();
      listener.closed(reason);
    }
  }

  private void end() {
    state = State.CLOSED;
    if (udp != null) {
      udp.close();
    }
    liveness.stop();
  }
}
