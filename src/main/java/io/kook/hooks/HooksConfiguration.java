package io.kook.hooks;

import java.util.UUID;

import io.kook.KookProperties;
import io.kook.mirror.Mirror;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Change hooks; defined in configuration only ({@code kook.hooks.*}), never through the API. */
@Configuration(proxyBeanMethods = false)
class HooksConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    ChangeHooks changeHooks(CuratorFramework client, Mirror mirror, KookProperties properties, Environment environment,
                            MeterRegistry meters) {
        String replica = environment.getProperty("HOSTNAME", "kook") + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new ChangeHooks(client, mirror, properties.zookeeper().root(), replica, properties.hooks(),
                new HookMetrics(properties.hooks(), meters));
    }
}
