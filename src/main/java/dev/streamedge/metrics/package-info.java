/**
 * The node's meters in one Prometheus registry: per protocol players, publishers and bytes, HLS, and
 * refusals by reason; and Vert.x's HTTP request meters, resolved once per listener ({@code HttpRequestMeters}).
 * Where is a refused connection counted? {@code Metrics#refused}.
 */
package dev.streamedge.metrics;
