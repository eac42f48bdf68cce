package io.kook.inventory;

import tools.jackson.databind.node.ObjectNode;

/**
 * A live instance of a service on a host: kept by an agent's ephemeral node while its health check passes, or
 * by an HTTP registration while it is renewed within its TTL. A registration in a snapshot is live: lapsed
 * HTTP registrations are deleted by the reapers (judged by ZooKeeper's time), and that deletion is a change
 * like any other, with a revision and an event. Nobody filters by a local clock.
 *
 * @param since     when the registration was created (ZooKeeper time, epoch millis)
 * @param ttlMillis how long an HTTP registration lives past its last renewal; {@code null} for agents
 * @param source    {@code agent} or {@code http}
 */
public record Registration(String service, String host, int port, ObjectNode metadata, long since, Long ttlMillis,
                           String source, int version) {

    public String instance() {
        return host + ":" + port;
    }
}
