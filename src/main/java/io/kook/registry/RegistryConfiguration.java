package io.kook.registry;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import io.kook.KookProperties;
import io.kook.Periodic;
import io.kook.inventory.Registration;
import io.kook.mirror.Mirror;
import io.kook.store.InventoryWriter;
import io.kook.store.ZkLayout;
import io.kook.zookeeper.ZooKeeperConnection;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry, its reaper and its meters. */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    @Bean
    Registry registry(CuratorFramework client, ZkLayout layout, Mirror mirror, ZooKeeperConnection connection,
                      KookProperties properties, InventoryWriter writer) {
        return new Registry(client, layout, mirror, connection, properties.services(), Clock.systemUTC(),
                writer.writeMetrics());
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService registrationReaper(Registry registry, KookProperties properties) {
        return Periodic.every("kook-reaper", properties.services().reapInterval(), registry::reap);
    }

    @Bean
    RegistryMetrics registryMetrics(Registry registry, Mirror mirror, MeterRegistry meters) {
        return new RegistryMetrics(registry, mirror, meters);
    }

    /**
     * {@code kook.registrations.*}: what is live (from the published snapshot, on scrape) and what lapsed, so an
     * alert can tell instances going away from a reaper that stopped.
     */
    static final class RegistryMetrics {
        RegistryMetrics(Registry registry, Mirror mirror, MeterRegistry meters) {
            Gauge.builder("kook.registrations.live", mirror, RegistryMetrics::live)
                    .description("Registrations in the mirror, from agents and HTTP alike (every one is live until"
                            + " its expiry is committed)").register(meters);
            FunctionCounter.builder("kook.registrations.expired", registry, Registry::expired)
                    .description("HTTP registrations this replica's reaper found past their TTL by ZooKeeper's clock"
                            + " (deleted by it or by another replica)").register(meters);
            FunctionCounter.builder("kook.registrations.reaped", registry, Registry::reaped)
                    .description("Lapsed HTTP registrations this replica's reaper deleted (sum over replicas: every"
                            + " expiry once)").register(meters);
        }

        private static double live(Mirror mirror) {
            long live = 0;
            for (List<Registration> instances : mirror.snapshot().services().values()) {
                live += instances.size();
            }
            return live;
        }
    }
}
