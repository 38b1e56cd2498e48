/**
 * The media a stream carries, named by no protocol: the packet record fanned out to every consumer, what
 * kind it is, the wire formats each packet is encoded in once (registered by the protocols at node
 * start), and the exception for media bytes that do not parse.
 */
package dev.streamedge.media;
