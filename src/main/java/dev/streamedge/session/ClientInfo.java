package dev.streamedge.session;

import dev.streamedge.stream.StreamKey;

/**
 * A snapshot of one client, taken on its context.
 *
 * @param id the client's id in the {@link ClientRegistry}, as {@code DELETE /api/v1/clients/{id}} takes it
 * @param protocol the protocol label: {@code rtmp}, {@code rtmps}, {@code http-flv} or {@code ws-flv}
 * @param address the client's address, {@code host:port}
 * @param stream the stream it publishes or plays, null when {@link ClientRole#IDLE}
 * @param connectedAtMillis when it connected (an FLV player: when its play started), wall clock
 * @param bytesIn bytes received from the client (0 for FLV players, whose request is not counted)
 * @param bytesOut bytes written to the client
 * @param flashVersion the {@code flashVer} of an RTMP client's connect ({@code ""} for none, and for FLV players)
 * @param droppedFrames frames a player skipped to catch up with live (0 for others)
 */
public record ClientInfo(long id, String protocol, ClientRole role, String address, StreamKey stream,
    long connectedAtMillis, long bytesIn, long bytesOut, String flashVersion, long droppedFrames) {
}
