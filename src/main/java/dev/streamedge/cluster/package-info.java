/**
 * The cluster: the Hazelcast configuration made from our keys, the node's role, and the stream directory
 * that says which node is the origin of which stream. Who owns a key cluster-wide? {@code StreamDirectory}.
 */
package dev.streamedge.cluster;
