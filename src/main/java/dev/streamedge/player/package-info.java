/**
 * A player of a live stream, whatever protocol it plays over: the wiring of the stream core's bounded
 * queue, merged writes and the protocol's meters that RTMP and FLV players share, written through a small
 * output interface each protocol implements. Where does a player pick its bytes? {@code Player#write}.
 */
package dev.streamedge.player;
