package io.kook.zookeeper;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code zookeeper} health component: DOWN while the connection is SUSPENDED or LOST. It reads the
 * last connection state instead of calling ZooKeeper, so a health check never hangs during an outage.
 */
final class ZooKeeperHealthIndicator implements HealthIndicator {

    private final ZooKeeperConnection connection;

    ZooKeeperHealthIndicator(ZooKeeperConnection connection) {
        this.connection = connection;
    }

    @Override
    public Health health() {
        Health.Builder builder = connection.connected() ? Health.up() : Health.down();
        return builder.withDetail("state", connection.lastState().name())
                .withDetail("connectString", connection.connectString())
                .build();
    }
}
