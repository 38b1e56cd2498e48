/**
 * What the server adds to Vert.x and Netty, and the only places that touch their internals: wrapping
 * ByteBufs without copies, event-loop dispatch, one flush per event-loop turn on RTMP and HTTP
 * connections, the request deadlines of HTTP connections, what a socket holds that its peer has not
 * acknowledged, the RC4 layer of RTMPE connections, on a socket and inside an RTMPT tunnel. Why does a
 * player's turn leave in one system call? {@code WriteMerger}. When is a slow HTTP client cut?
 * {@code HttpDeadlines}. How does a frozen viewer's lag show? {@code SendBacklog}. Where are RTMPE's
 * bytes encrypted? {@code CipherLayer}, and {@code TunnelCipher} for RTMPTE. Which TLS engine do RTMPS and
 * HTTPS use? {@code TlsEngines}. How does a relay trust a camera's self-signed certificate? {@code PinnedTrust}.
 * Why does an RTMP connection hold no NetSocket? {@code EventLoopSocket}.
 */
package dev.streamedge.net;
