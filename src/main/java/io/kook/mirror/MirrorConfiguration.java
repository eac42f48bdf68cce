package io.kook.mirror;

import io.kook.KookProperties;
import io.kook.inventory.Snapshot;
import io.kook.store.ZkLayout;
import io.kook.zookeeper.ZooKeeperConnection;
import io.micrometer.core.instrument.Counter;
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

    /** {@code kook.mirror.*} gauges, read from the published snapshot on scrape, and the publication counter. */
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
            Gauge.builder("kook.import.guard.open", mirror, m -> m.importOpen() ? 1 : 0)
                    .description("1 while a batched import holds the import guard open (writes wait, nothing is"
                            + " published)").register(meters);
            MirrorLag lag = mirror.lag();
            Counter published = Counter.builder("kook.mirror.snapshots.published")
                    .description("Snapshots the mirror published (one per batch of changes it applied)")
                    .register(meters);
            mirror.onPublish(p -> {
                published.increment();
                lag.published(p.current().revision());
            });
            Gauge.builder("kook.mirror.lag", mirror, m -> {
                        lag.published(m.snapshot().revision());
                        return lag.seconds(System.nanoTime());
                    }).baseUnit("seconds")
                    .description("Seconds since the mirror heard of the oldest ZooKeeper change it has not published"
                            + " yet; 0 when the published snapshot holds every change the watch delivered (a"
                            + " disconnected mirror hears of nothing: see kook_mirror_stale)").register(meters);
            Gauge.builder("kook.mirror.lag.revisions", mirror, m -> {
                        lag.published(m.snapshot().revision());
                        return lag.revisions();
                    })
                    .description("Revisions (transactions under Kook's tree) the watch delivered that the published"
                            + " snapshot does not hold yet").register(meters);
        }
    }
}
