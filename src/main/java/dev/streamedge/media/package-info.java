/**
 * The media a stream carries, named by no protocol: the packet record fanned out to every consumer, what
 * kind it is, the once-per-packet encoder hook, and the exception for media bytes that do not parse.
 */
package dev.streamedge.media;
