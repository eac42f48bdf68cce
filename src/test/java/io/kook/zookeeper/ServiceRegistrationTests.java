package io.kook.zookeeper;

import java.time.Duration;
import java.util.List;

import io.kook.support.Await;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

import static org.assertj.core.api.Assertions.assertThat;

/** With an external ensemble every replica registers as service "kook"; other services discover it by name. */
class ServiceRegistrationTests {

    @Test
    void eachReplicaRegistersItselfAndIsDiscoverableByName() throws Exception {
        String root = SharedZooKeeper.uniqueRoot("registration");
        String services = "/services-" + root.substring(1);
        String registryRoot = "spring.cloud.zookeeper.discovery.root=" + services;
        try (Replica a = Replica.start(SharedZooKeeper.connectString(), root, registryRoot);
             Replica b = Replica.start(SharedZooKeeper.connectString(), root, registryRoot)) {
            DiscoveryClient discovery = a.bean(DiscoveryClient.class);
            Await.until(Duration.ofSeconds(20), "both replicas to be registered",
                    () -> discovery.getInstances("kook").size() == 2);
            List<Integer> ports = discovery.getInstances("kook").stream().map(ServiceInstance::getPort).sorted().toList();
            assertThat(ports).containsExactlyInAnyOrder(a.port(), b.port());
            CuratorFramework zk = a.bean(CuratorFramework.class);
            assertThat(zk.getChildren().forPath(services + "/kook")).hasSize(2);
        }
    }
}
