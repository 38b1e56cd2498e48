/**
 * The RTMP server: the listener verticle and one connection, split by concern. {@code RtmpConnection}
 * only dispatches: transport events, what the {@code MessageReader} finds, a switch over command names,
 * the timer tick. What answers {@code connect}? {@code ConnectFlow}. {@code publish}? {@code PublishFlow};
 * {@code play}? its twin {@code PlayFlow}, whose {@code RtmpPlayer} is the RTMP output of a stream
 * player; both start with {@code StreamAccess} (name, key, auth request, refusal). Which message
 * streams does a connection have? {@code NetStreams}. What does it send, and how is it counted?
 * {@code ConnectionWriter}. How does the handshake start? {@code ServerHandshakeReader}, and
 * {@code RtmpeHandshake} for RTMPE. What closes clients that hold a slot or heap and do nothing with
 * it? {@code ConnectionAdmission}, {@code ConnectionDeadlines}, {@code Pings} and {@code IncompleteBudget},
 * checked on one {@code ConnectionTicker} per event loop. Where do the log lines come from?
 * {@code ConnectionLogs}, one logger named {@code RtmpConnection}.
 */
package dev.streamedge.rtmp.server;
