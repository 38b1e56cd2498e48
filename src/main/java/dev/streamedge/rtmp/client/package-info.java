/**
 * Non-blocking RTMP clients on Vert.x: a player and a publisher, used by the load generator and the
 * tests.
 */
package dev.streamedge.rtmp.client;
