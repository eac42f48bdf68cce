package io.kook.store;

import java.time.Duration;

import io.kook.support.SharedZooKeeper;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Tombstones are swept once older than their retention in ZooKeeper time, and not before. */
class GraveyardTests {

    @Test
    void tombstonesOlderThanTheRetentionAreSweptAndYoungerOnesKept() throws Exception {
        ZkLayout layout = new ZkLayout(SharedZooKeeper.uniqueRoot("graveyard"));
        try (CuratorFramework client = CuratorFrameworkFactory.newClient(SharedZooKeeper.connectString(),
                new RetryOneTime(100))) {
            client.start();
            TreeBootstrap.ensure(client, layout);
            client.create().forPath(layout.tombstone(7, true, "old.example.com"));
            Thread.sleep(50);
            client.setData().forPath(layout.commit(), ZkLayout.commitMarker("later"));

            assertThat(new Graveyard(client, layout, Duration.ofHours(1)).sweep()).isZero();
            assertThat(client.getChildren().forPath(layout.graveyard())).hasSize(1);

            assertThat(new Graveyard(client, layout, Duration.ofMillis(10)).sweep()).isEqualTo(1);
            assertThat(client.getChildren().forPath(layout.graveyard())).isEmpty();
        }
    }
}
