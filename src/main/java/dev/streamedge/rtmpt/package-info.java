/**
 * RTMPT: RTMP tunnelled over HTTP, as Flash-era players and librtmp (rtmpdump, OBS's classic output) and
 * ffmpeg speak it. A client POSTs {@code /open/1} and gets a session id; then it POSTs its RTMP bytes
 * to {@code /send/<id>/<seq>}, polls with {@code /idle/<id>/<seq>} and ends with
 * {@code /close/<id>/<seq>}; every answer but the open's starts with a polling-interval byte, followed
 * by the server's RTMP bytes queued since the last answer. Each session is an {@link
 * dev.streamedge.rtmp.server.RtmpTransport}, so the RTMP connection behind it is the one RTMP and RTMPS
 * use, auth, takeover, slow players and metrics included. Which class holds an idle poll? {@code
 * RtmptSession}. Which answers the HTTP requests? {@code RtmptRoutes}. Which bounds and reaps sessions?
 * {@code RtmptSessions}. Where are RTMPTE's bytes (RTMPE inside the tunnel) encrypted? {@link
 * dev.streamedge.net.TunnelCipher}, which the RTMPT client uses too.
 */
package dev.streamedge.rtmpt;
