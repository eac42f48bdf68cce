package io.kook.inventory;

import tools.jackson.databind.node.ObjectNode;

/**
 * A live instance of a service on a host: kept by an agent's ephemeral node while its health check passes, or
 * by an HTTP registration until its TTL runs out. Times are ZooKeeper server times (epoch millis).
 *
 * @param expiresAt when an HTTP registration lapses unless renewed; {@code null} for agent registrations
 * @param source    {@code agent} or {@code http}
 */
public record Registration(String service, String host, int port, ObjectNode metadata, long since, Long expiresAt,
                           String source, int version) {

    public String instance() {
        return host + ":" + port;
    }

    public boolean liveAt(long epochMillis) {
        return expiresAt == null || expiresAt > epochMillis;
    }
}
