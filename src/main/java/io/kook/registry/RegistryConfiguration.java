package io.kook.registry;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;


import io.kook.KookProperties;
import io.kook.Periodic;
import io.kook.mirror.Mirror;
import io.kook.store.ZkLayout;
import io.kook.zookeeper.ZooKeeperConnection;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry and its reaper. */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    @Bean
    Registry registry(CuratorFramework client, ZkLayout layout, Mirror mirror, ZooKeeperConnection connection,
                      KookProperties properties) {
        return new Registry(client, layout, mirror, connection, properties.services(), Clock.systemUTC());
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService registrationReaper(Registry registry, KookProperties properties) {
        return Periodic.every("kook-reaper", properties.services().reapInterval(), registry::reap);
    }
}
