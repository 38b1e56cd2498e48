package dev.streamedge.config;

/**
 * Joining a cluster in Kubernetes by DNS lookup of a headless Service, which needs no API access.
 *
 * @param serviceDns DNS name of the headless Service selecting the nodes; empty when not used
 */
public record ClusterKubernetesConfig(String serviceDns) {
}
