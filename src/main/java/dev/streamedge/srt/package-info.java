/**
 * SRT (draft-sharabayko-srt, "The SRT Protocol") for ingest and play, pure: bytes in, records out, no Vert.x
 * I/O, time passed in. {@link dev.streamedge.srt.SrtPacket#decode} reads a datagram into a packet
 * record, {@link dev.streamedge.srt.SrtPacket#encodeTo} writes one; {@link
 * dev.streamedge.srt.SrtReceiver} is the receiving side's state (reorder buffer, loss list, ACK,
 * NAK, too-late drop) for one connection, {@link dev.streamedge.srt.SrtSender} the sending side's
 * (numbering, kept until acknowledged, sent again, given up on when too late); {@link dev.streamedge.srt.SynCookie} makes and checks
 * the listener's handshake cookies, {@link dev.streamedge.srt.ListenerHandshakes} its answers; {@link
 * dev.streamedge.srt.StreamIdRequest} reads what a caller asks for; {@link dev.streamedge.srt.KeyMaterial}
 * and {@link dev.streamedge.srt.PayloadCipher} decrypt and encrypt for a caller with a passphrase. Where libsrt and
 * the draft differ on the wire, libsrt wins, because that is what OBS, ffmpeg and GStreamer link.
 */
package dev.streamedge.srt;
