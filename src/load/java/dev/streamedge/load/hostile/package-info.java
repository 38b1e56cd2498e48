/**
 * Hostile clients for the hostile-load benchmark ({@code bench/hostile}): connections that never finish
 * the RTMP handshake, HTTP requests sent a byte a second, connections that send garbage, and a flood of
 * playlist requests for streams that do not exist. Each kind holds its population or rate for the whole
 * run, opening a new connection whenever the server closes one, and counts what the server did to it.
 * Where is the population kept up? {@link dev.streamedge.load.hostile.Population}.
 */
package dev.streamedge.load.hostile;
