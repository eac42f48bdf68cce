package io.kook.mirror;

import java.util.ArrayList;
import java.util.List;

import io.kook.store.EntityCodec;
import io.kook.store.ZkLayout;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** A tree whose host listing is bigger than ZooKeeper's default 1 MB packet still loads. */
class LargeTreeTests {

    @Test
    void aReplicaPrimesWhenListingTheHostsIsOverOneMegabyte() throws Exception {
        String root = SharedZooKeeper.uniqueRoot("large");
        ZkLayout layout = new ZkLayout(root);
        int hosts = 12_000;
        String padding = "x".repeat(90);
        try (CuratorFramework zk = CuratorFrameworkFactory.newClient(SharedZooKeeper.connectString(), new RetryOneTime(100))) {
            zk.start();
            zk.create().creatingParentsIfNeeded().forPath(layout.hosts());
            byte[] data = EntityCodec.encode(JsonNodeFactory.instance.objectNode());
            List<Op> batch = new ArrayList<>();
            for (int i = 0; i < hosts; i++) {
                batch.add(Op.create(layout.host(String.format("h%05d-%s", i, padding)), data,
                        ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
                if (batch.size() == 2_000) {
                    zk.getZookeeperClient().getZooKeeper().multi(batch);
                    batch.clear();
                }
            }
            long listing = (long) hosts * (5 + 1 + 90 + 4);
            assertThat(listing).as("the listing is over 1 MB").isGreaterThan(1_048_576);
        }
        try (Replica replica = Replica.start(SharedZooKeeper.connectString(), root)) {
            assertThat(replica.bean(Mirror.class).snapshot().hostCount()).isEqualTo(hosts);
            Http.Response page = replica.http().get("/hosts?limit=1");
            assertThat(page.json().get(0).get("name").asString()).startsWith("h00000-");
        }
    }
}
