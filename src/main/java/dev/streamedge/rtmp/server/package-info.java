/**
 * The RTMP server: the listener verticle, one connection's state machine (handshake, commands, publish
 * and play flows), the RTMP output of a stream player, and the server's outgoing messages. What
 * answers {@code publish}? {@code RtmpConnection}. What closes clients that hold a slot or heap and do
 * nothing with it? {@code ConnectionAdmission}, {@code ConnectionDeadlines} and {@code IncompleteBudget}.
 * How does an RTMPE connection start? {@code RtmpeHandshake}.
 */
package dev.streamedge.rtmp.server;
