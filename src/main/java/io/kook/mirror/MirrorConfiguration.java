package io.kook.mirror;

import io.kook.KookProperties;
import io.kook.inventory.Snapshot;
import io.kook.store.ZkLayout;
import io.kook.zookeeper.ZooKeeperConnection;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The mirror, its readiness and its gauges. */
@Configuration(proxyBeanMethods = false)
class MirrorConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    Mirror mirror(CuratorFramework client, ZkLayout layout, KookProperties properties) {
        return new Mirror(client, layout, properties.mirror().primeConcurrency());
    }

    /** Readiness: DOWN until the first load is published; a later outage leaves it UP (stale reads beat none). */
    @Bean
    HealthIndicator mirrorHealthIndicator(Mirror mirror) {
        return () -> {
            Snapshot s = mirror.snapshot();
            Health.Builder b = mirror.primed() ? Health.up() : Health.down();
            return b.withDetail("revision", s.revision()).withDetail("hosts", s.hostCount())
                    .withDetail("groups", s.groupCount()).withDetail("catchingUp", mirror.catchingUp()).build();
        };
    }

    @Bean
    MirrorMetrics mirrorMetrics(Mirror mirror, ZooKeeperConnection connection, MeterRegistry meters) {
        return new MirrorMetrics(mirror, connection, meters);
    }

    /** {@code kook.mirror.*} gauges, read from the published snapshot on scrape. */
    static final class MirrorMetrics {
        MirrorMetrics(Mirror mirror, ZooKeeperConnection connection, MeterRegistry meters) {
            Gauge.builder("kook.mirror.revision", mirror, m -> m.snapshot().revision())
                    .description("ZooKeeper zxid of the last change the mirror applied").register(meters);
            Gauge.builder("kook.mirror.hosts", mirror, m -> m.snapshot().hostCount())
                    .description("Hosts in the mirror").register(meters);
            Gauge.builder("kook.mirror.groups", mirror, m -> m.snapshot().groupCount())
                    .description("Groups in the mirror, all included").register(meters);
            Gauge.builder("kook.mirror.stale", mirror, m -> !connection.connected() || m.catchingUp() ? 1 : 0)
                    .description("1 while reads may be stale (ZooKeeper unreachable or mirror catching up)")
                    .register(meters);
            FunctionCounter.builder("kook.mirror.reprimes", mirror, Mirror::reprimes)
                    .description("Re-reads of the whole tree after a reconnection or a failed read").register(meters);
            FunctionCounter.builder("kook.mirror.unreadable.reads", mirror, Mirror::unreadableReads)
                    .description("Reads of host or group znodes whose data Kook cannot parse (never written over)")
                    .register(meters);
            Gauge.builder("kook.zookeeper.connected", connection, c -> c.connected() ? 1 : 0)
                    .description("1 while connected to ZooKeeper").register(meters);
        }
    }
}
