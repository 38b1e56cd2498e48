/**
 * The stream core, which names no protocol: live streams and their registry, publish sessions and
 * policy, the output timeline, the meta and GOP caches for late joiners ({@code MetaCache},
 * {@code GopCache}), subscribers grouped per event loop ({@code LocalGroup}, reached from the stream's home
 * loop by {@code LoopFanOut}), and each player's bounded queue. Where is a
 * slow player dropped? {@code PlayerQueue}.
 */
package dev.streamedge.stream;
