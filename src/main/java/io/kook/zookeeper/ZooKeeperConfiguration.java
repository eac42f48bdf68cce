package io.kook.zookeeper;

import io.kook.KookProperties;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.cloud.zookeeper.ZookeeperProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses between an external ensemble and the embedded server. Embedded mode declares the server as a bean
 * and derives {@link ZookeeperProperties} from it, so Spring Cloud Zookeeper's Curator client is created
 * after the server starts and closed before it stops.
 */
@Configuration(proxyBeanMethods = false)
class ZooKeeperConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    @Conditional(EmbeddedCondition.class)
    EmbeddedZooKeeper embeddedZooKeeper(KookProperties properties) {
        KookProperties.Embedded embedded = properties.zookeeper().embedded();
        return new EmbeddedZooKeeper(embedded.port(), embedded.dataDir());
    }

    @Bean
    @Conditional(EmbeddedCondition.class)
    @ConfigurationProperties(ZookeeperProperties.PREFIX)
    ZookeeperProperties zookeeperProperties(EmbeddedZooKeeper server) {
        ZookeeperProperties zookeeper = new ZookeeperProperties();
        zookeeper.setConnectString(server.connectString());
        return zookeeper;
    }

    /** Digest credentials, ACLs and TLS for the Curator client Spring Cloud Zookeeper builds. */
    @Bean
    org.springframework.cloud.zookeeper.CuratorFrameworkCustomizer kookZooKeeperSecurity(KookProperties properties,
                                                                                         io.kook.store.ZkAcls acls) {
        return new ZooKeeperSecurity(properties.zookeeper(), acls);
    }

    @Bean
    ZooKeeperConnection zooKeeperConnection(CuratorFramework client) {
        return new ZooKeeperConnection(client);
    }

    /**
     * Liveness: DOWN once the embedded server has stopped by itself, so the orchestrator restarts the process
     * (readiness alone keeps a dead replica serving stale reads forever). Always UP against an external ensemble:
     * an unreachable ensemble is not cured by restarting Kook.
     */
    @Bean
    org.springframework.boot.health.contributor.HealthIndicator embeddedZooKeeperHealthIndicator(
            org.springframework.beans.factory.ObjectProvider<EmbeddedZooKeeper> embedded) {
        return () -> {
            EmbeddedZooKeeper server = embedded.getIfAvailable();
            if (server == null) {
                return org.springframework.boot.health.contributor.Health.up().withDetail("mode", "external").build();
            }
            return (server.running() ? org.springframework.boot.health.contributor.Health.up()
                    : org.springframework.boot.health.contributor.Health.down()
                    .withDetail("reason", "the embedded ZooKeeper server has stopped; restart Kook"))
                    .withDetail("mode", "embedded").build();
        };
    }

    @Bean
    ZooKeeperHealthIndicator zookeeperHealthIndicator(ZooKeeperConnection connection) {
        return new ZooKeeperHealthIndicator(connection);
    }
}
