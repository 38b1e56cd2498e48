package dev.streamedge.config;

import static dev.streamedge.config.ConfigKeys.key;

import java.time.Duration;
import java.util.List;

/**
 * The keys of the {@code rtmp} and {@code rtmpt} sections (a part of {@link ConfigKeys}): the RTMP, RTMPS,
 * RTMPE and RTMPT listeners and the bounds they put on each connection.
 */
final class RtmpKeys {

  private RtmpKeys() {
  }

  static List<ConfigKey> all() {
    return List.of(
        key("rtmp.host", "0.0.0.0", Rule.host(),
            "Address the RTMP listener binds to"),
        key("rtmp.port", "1935", Rule.integer(1, 65535),
            "TCP port of the RTMP listener"),
        key("rtmp.chunk-size", "4096", Rule.integer(128, 16_777_215),
            "Chunk size we announce to peers for our outgoing messages, in bytes"),
        key("rtmp.max-chunk-size", "1048576", Rule.integer(128, Integer.MAX_VALUE),
            "Largest Set Chunk Size accepted from a peer, in bytes"),
        key("rtmp.max-message-size", "8MiB", Rule.byteSize(ByteSize.ofKiB(1), new ByteSize(16_777_215)),
            "Largest message accepted from a peer (RTMP message lengths are 24-bit)"),
        key("rtmp.max-message-size-before-publish", "64KiB",
            Rule.byteSize(ByteSize.ofKiB(1), new ByteSize(16_777_215)),
            "Largest message accepted from a connection that is not publishing (commands need no more);"
                + " at most rtmp.max-message-size applies"),
        key("rtmp.max-held-before-publish", "4MiB", Rule.byteSize(new ByteSize(0), ByteSize.ofGiB(1)),
            "Most bytes of media and script data a connection may send after publish and before the publish is"
                + " allowed (auth, the stream registry), held and passed on in order once it is; the rest is dropped."
                + " Counts against rtmp.max-incomplete-bytes"),
        key("rtmp.max-metadata-size", "64KiB", Rule.byteSize(ByteSize.ofKiB(1), new ByteSize(16_777_215)),
            "Largest script data message (onMetaData, cue points) passed on to players; larger ones are dropped"),
        key("rtmp.max-metadata-per-second", "10", Rule.integer(1, 1000),
            "Most script data messages a publisher's stream passes on per second; the rest are dropped"),
        key("rtmp.max-incomplete-bytes", "256MiB", Rule.byteSize(ByteSize.ofMiB(1), ByteSize.ofGiB(16)),
            "Node-wide bound on heap held in partly received messages over all RTMP connections; when it is"
                + " short, the connection whose message has stalled longest, else the one holding most, is closed"),
        key("rtmp.partial-message-timeout", "10s", Rule.duration(Duration.ofSeconds(1), Duration.ofMinutes(10)),
            "Time a message may take from its first chunk to its last before the connection is closed"),
        key("rtmp.max-chunk-streams", "64", Rule.integer(2, 65598),
            "Most distinct chunk streams one peer may use (each holds header state)"),
        key("rtmp.max-connections", "10000", Rule.integer(1, 1_000_000),
            "Most RTMP connections open at once; further ones are refused"),
        key("rtmp.max-connections-per-address", "0", Rule.integer(0, 1_000_000),
            "Most RTMP connections open at once from one IP address; 0 for no such cap"),
        key("rtmp.max-streams-per-connection", "8", Rule.integer(1, 1024),
            "Most streams one connection may create"),
        key("rtmp.handshake-timeout", "5s", Rule.duration(Duration.ofMillis(100), Duration.ofMinutes(5)),
            "Time a new connection has to complete the RTMP handshake"),
        key("rtmp.publish-or-play-timeout", "10s", Rule.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
            "Time a connection may go without publishing or playing (from its connect, or its last stream's end)"
                + " before it is closed"),
        key("rtmp.idle-publisher-timeout", "15s", Rule.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
            "Time a publisher may send no media before it is closed"),
        key("rtmp.idle-streams", "true", Rule.bool(),
            "nginx-rtmp's idle_streams: false refuses a play of a live stream nobody publishes"
                + " (NetStream.Play.StreamNotFound) and ends a player's connection when its publisher leaves"),
        key("rtmp.ping-interval", "10s", Rule.offOrDuration(Duration.ofSeconds(1), Duration.ofMinutes(10)),
            "How long a connection may send nothing before it is pinged; 0 turns pings off"),
        key("rtmp.ping-timeout", "30s", Rule.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
            "Time a ping may go unanswered before the connection is closed"),
        key("rtmp.window-ack-size", "2500000", Rule.integer(1, Integer.MAX_VALUE),
            "Acknowledgement window we announce to peers, in bytes"),
        key("rtmp.proxy-protocol", "false", Rule.bool(),
            "Each connection to the RTMP and RTMPS ports starts with a PROXY protocol header (v1 or v2, as HAProxy,"
                + " AWS NLB and most load balancers send it) whose client address the node uses; one without is"
                + " closed"),
        key("rtmp.local-port", "1937", Rule.integer(1, 65535),
            "While rtmp.proxy-protocol is on, the port of an RTMP listener on 127.0.0.1 that reads no header, for the"
                + " node's own programs: a transcoder's renditions publish to it, and so can exec programs"),
        key("rtmp.rtmpe.enabled", "true", Rule.bool(),
            "Serve RTMPE (encrypted RTMP, C0 = 6) on the RTMP port besides plain RTMP, and RTMPTE (RTMPE in the"
                + " RTMPT tunnel) on the HTTP port; false refuses both at their first byte"),
        key("rtmp.rtmps.port", "1936", Rule.integer(1, 65535),
            "TCP port of the RTMPS (RTMP over TLS) listener"),
        key("rtmp.rtmps.cert", "", Rule.optionalReadableFile(),
            "PEM certificate chain; RTMPS is on when cert and key are both set"),
        key("rtmp.rtmps.key", "", Rule.optionalReadableFile(),
            "PEM private key of the certificate in rtmp.rtmps.cert"),
        key("rtmp.rtmps.versions", "TLSv1.2,TLSv1.3", Rule.oneOf(List.of("TLSv1.2,TLSv1.3", "TLSv1.2", "TLSv1.3")),
            "TLS versions RTMPS offers; TLSv1.2 alone for librtmp clients (rtmpdump), which fail against TLS 1.3"),
        key("rtmp.rtmps.engine", "openssl", Rule.oneOf(List.of("openssl", "jdk")),
            "TLS engine of RTMPS: openssl (Netty's on BoringSSL, bundled; the JDK's if it cannot load here) or jdk"),
        key("rtmpt.ports", "", Rule.portList(),
            "Extra TCP ports (on http.host) that serve RTMPT alone, comma-separated, e.g. 80; \"\" for none."
                + " RTMPT is always served on http.port"),
        key("rtmpt.max-sessions", "1000", Rule.integer(1, 1_000_000),
            "Most RTMPT (RTMP over HTTP) sessions open at once; further /open requests get a 503"),
        key("rtmpt.session-timeout", "10s", Rule.duration(Duration.ofSeconds(1), Duration.ofMinutes(10)),
            "An RTMPT session that makes no request for this long is closed (clients poll many times a second)"),
        key("rtmpt.idle-wait", "100ms", Rule.duration(Duration.ofMillis(20), Duration.ofSeconds(1)),
            "How long an RTMPT /idle request is held while there is nothing to send; bounds an idle session's"
                + " request rate (clients poll again at once)"),
        key("rtmpt.max-queued-bytes", "1MiB", Rule.byteSize(ByteSize.ofKiB(64), ByteSize.ofGiB(1)),
            "Bytes an RTMPT session holds for its client to fetch: at half of it its players stop writing, as at a"
                + " full socket; at all of it the session is closed"),
        key("rtmpt.max-request-body", "8MiB", Rule.byteSize(ByteSize.ofKiB(64), ByteSize.ofGiB(1)),
            "Largest body of one RTMPT /send request; a larger one closes the session"));
  }
}
