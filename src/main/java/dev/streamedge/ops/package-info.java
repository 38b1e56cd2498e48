/**
 * Operations endpoints: the health probes ({@code /health/live}, {@code /health/ready}) and the listener of
 * {@code metrics.port}. When is a node ready? {@code Health}.
 */
package dev.streamedge.ops;
