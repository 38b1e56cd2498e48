/**
 * The media link between nodes over the clustered event bus: the origin's sender per pulling node with its
 * credit window, the edge's pulls (the stream core's {@code Upstream}), frame numbering and the frame
 * codec. Where is a slow edge skipped to the next keyframe? {@code CreditWindow}.
 */
package dev.streamedge.cluster.link;
