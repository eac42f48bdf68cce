package io.kook.store;

import io.kook.KookProperties;
import io.kook.mirror.Mirror;
import io.kook.zookeeper.ZooKeeperConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the layout and the write path. */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    @Bean
    ZkLayout zkLayout(KookProperties properties) {
        return new ZkLayout(properties.zookeeper().root());
    }

    @Bean
    InventoryWriter inventoryWriter(CuratorFramework client, ZkLayout layout, Mirror mirror,
                                    ZooKeeperConnection connection, KookProperties properties, MeterRegistry meters) {
        return new InventoryWriter(client, layout, mirror, connection, properties.writes(), meters);
    }
}
