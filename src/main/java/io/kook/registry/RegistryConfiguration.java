package io.kook.registry;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.kook.KookProperties;
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
        ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kook-reaper");
            t.setDaemon(true);
            return t;
        });
        long every = properties.services().reapInterval().toMillis();
        reaper.scheduleWithFixedDelay(registry::reap, every, every, TimeUnit.MILLISECONDS);
        return reaper;
    }
}
