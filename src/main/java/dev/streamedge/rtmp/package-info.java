/**
 * RTMP (Adobe RTMP 1.0): the codecs in the sub-packages, and the exception a peer's broken input ends
 * in. The server and client sides live in {@code rtmp.server} and {@code rtmp.client}.
 */
package dev.streamedge.rtmp;
