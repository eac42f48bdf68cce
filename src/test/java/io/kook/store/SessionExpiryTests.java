package io.kook.store;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.kook.inventory.KookException;
import io.kook.mirror.Mirror;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.KillSession;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** A session that expires while its write holds the lock leaves either the whole write or nothing. */
class SessionExpiryTests {

    @Test
    void aSessionExpiringUnderTheLockDoesNotHalfApplyTheWrite() throws Exception {
        String root = SharedZooKeeper.uniqueRoot("expiry");
        try (Replica replica = Replica.start(SharedZooKeeper.connectString(), root)) {
            Http http = replica.http();
            for (String g : List.of("g1", "g2", "g3")) {
                assertThat(http.put("/groups/" + g, "{}").status()).isEqualTo(201);
            }
            InventoryWriter writer = replica.bean(InventoryWriter.class);
            ZkLayout layout = replica.bean(ZkLayout.class);
            CuratorFramework client = replica.bean(CuratorFramework.class);
            AtomicInteger plans = new AtomicInteger();

            boolean applied;
            try {
                writer.commit("test.expiry", InventoryWriter.hostLock("victim"), snapshot -> {
                    if (plans.getAndIncrement() == 0) {
                        try {
                            KillSession.kill(client.getZookeeperClient().getZooKeeper());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    Change change = new Change(snapshot, layout).createHost("victim", JsonNodeFactory.instance.objectNode());
                    List.of("g1", "g2", "g3").forEach(g -> change.addMember(g, "victim"));
                    return change;
                });
                applied = true;
            } catch (KookException e) {
                applied = false;
            }

            // all or nothing, in the tree itself: the host exists exactly when all three edges do
            client.blockUntilConnected();
            assertThat(client.checkExists().forPath(layout.host("victim")) != null).isEqualTo(applied);
            for (String g : List.of("g1", "g2", "g3")) {
                assertThat(client.checkExists().forPath(layout.member(g, "victim")) != null).isEqualTo(applied);
            }
            assertThat(plans.get()).as("the session was killed while the write held its lock").isPositive();
            if (applied) {
                return;
            }

            Http.Response retried = http.put("/hosts/victim", "{\"groups\":[\"g1\",\"g2\",\"g3\"]}");
            assertThat(retried.status()).as(retried.toString()).isIn(201, 503);
            if (retried.status() == 503) {
                Mirror mirror = replica.bean(Mirror.class);
                io.kook.support.Await.until(java.time.Duration.ofSeconds(20), "the mirror to re-prime", () -> !mirror.catchingUp());
                retried = http.put("/hosts/victim", "{\"groups\":[\"g1\",\"g2\",\"g3\"]}");
            }
            assertThat(retried.status()).isEqualTo(201);
            assertThat(client.checkExists().forPath(layout.host("victim"))).isNotNull();
            for (String g : List.of("g1", "g2", "g3")) {
                assertThat(client.checkExists().forPath(layout.member(g, "victim"))).isNotNull();
            }
        }
    }
}
