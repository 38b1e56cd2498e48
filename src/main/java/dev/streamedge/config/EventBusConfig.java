package dev.streamedge.config;

/**
 * The clustered event bus, a direct TCP connection between nodes. Behind NAT or in Kubernetes the
 * address others must use differs from the one bound, hence the public pair.
 *
 * @param host address to bind; empty uses the cluster member's address
 * @param port port to bind; 0 picks a free one
 * @param publicHost address announced to other nodes; empty announces {@code host}
 * @param publicPort port announced to other nodes; 0 announces the bound port
 */
public record EventBusConfig(String host, int port, String publicHost, int publicPort) {
}
