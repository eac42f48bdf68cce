package io.kook.store;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

import io.kook.KookProperties;
import io.kook.Periodic;
import io.kook.mirror.Mirror;
import io.kook.zookeeper.ZooKeeperConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the layout and the write path. */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    /** Digest ACLs when {@code kook.zookeeper.auth.*} names credentials, else open nodes. */
    @Bean
    ZkAcls zkAcls(KookProperties properties) {
        KookProperties.Auth auth = properties.zookeeper().auth();
        return auth.enabled()
                ? ZkAcls.digest(properties.zookeeper().root(), auth.username(), auth.password(), auth.agents())
                : ZkAcls.open();
    }

    @Bean
    ZkLayout zkLayout(KookProperties properties, ZkAcls acls) {
        return new ZkLayout(properties.zookeeper().root(), acls);
    }

    @Bean
    InventoryWriter inventoryWriter(CuratorFramework client, ZkLayout layout, Mirror mirror,
                                    ZooKeeperConnection connection, KookProperties properties, MeterRegistry meters,
                                    org.springframework.beans.factory.ObjectProvider<ChangePolicy> policy,
                                    org.springframework.beans.factory.ObjectProvider<java.util.function.Supplier<Attribution>> attribution) {
        InventoryWriter writer = new InventoryWriter(client, layout, mirror, connection, properties.writes(),
                properties.imports(), meters);
        writer.policy(policy.getIfAvailable());
        writer.attribution(attribution.getIfAvailable());
        return writer;
    }

    /** Every replica watches the import guard and closes it once its importer has stopped renewing it. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService importGuardWatch(InventoryWriter writer) {
        return Periodic.every("kook-import-guard", writer.guardCheckInterval(), writer::closeIfAbandoned);
    }

    @Bean
    Graveyard graveyard(CuratorFramework client, ZkLayout layout, KookProperties properties) {
        return new Graveyard(client, layout, properties.writes().tombstoneRetention());
    }

    /** Sweeps tombstones a quarter of their retention after they became sweepable, at most every 10 minutes. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService graveyardSweeper(Graveyard graveyard, KookProperties properties) {
        long every = Math.max(1_000, Math.min(properties.writes().tombstoneRetention().toMillis() / 4, 600_000));
        return Periodic.every("kook-graveyard", Duration.ofMillis(every), graveyard::sweep);
    }
}
