package io.kook.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deletes never leave dangling edges and nesting never closes a cycle, checked in the ZooKeeper tree itself
 * rather than through the API.
 */
class TreeIntegrityTests {

    private static Replica replica;
    private static ZkLayout layout;
    private static CuratorFramework zk;

    @BeforeAll
    static void start() {
        replica = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("integrity"));
        layout = replica.bean(ZkLayout.class);
        zk = replica.bean(CuratorFramework.class);
    }

    @AfterAll
    static void stop() {
        replica.close();
    }

    @Test
    void deletesLeaveNoDanglingEdgeInTheTree() throws Exception {
        Http http = replica.http();
        Random random = new Random(42);
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String g = "dg" + i;
            assertThat(http.put("/groups/" + g, "{}").status()).isEqualTo(201);
            if (i > 0) {
                http.put("/groups/dg" + random.nextInt(i) + "/children/" + g, null);
            }
            groups.add(g);
        }
        for (int h = 0; h < 40; h++) {
            List<String> mine = new ArrayList<>();
            for (String g : groups) {
                if (random.nextInt(4) == 0) {
                    mine.add(g);
                }
            }
            assertThat(http.put("/hosts/dh" + h, Http.json(Map.of("groups", mine))).status()).isEqualTo(201);
        }
        for (int h = 0; h < 40; h += 3) {
            assertThat(http.delete("/hosts/dh" + h).status()).isEqualTo(204);
        }
        for (int g = 0; g < 12; g += 4) {
            assertThat(http.delete("/groups/dg" + g).status()).isEqualTo(204);
        }
        assertTreeHasNoDanglingEdges();
    }

    @Test
    void cyclesAreRefusedOnAGeneratedDagOf200Groups() throws Exception {
        Http http = replica.http();
        int n = 200;
        Random random = new Random(7);
        List<Set<Integer>> children = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            assertThat(http.put("/groups/dag" + i, "{}").status()).isEqualTo(201);
            children.add(new HashSet<>());
        }
        // forward edges only (i < j) make a DAG
        for (int e = 0; e < 400; e++) {
            int i = random.nextInt(n - 1);
            int j = i + 1 + random.nextInt(n - i - 1);
            assertThat(http.put("/groups/dag" + i + "/children/dag" + j, null).status()).isEqualTo(204);
            children.get(i).add(j);
        }
        int refused = 0;
        for (int attempt = 0; attempt < 150; attempt++) {
            int from = random.nextInt(n);
            int to = random.nextInt(n);
            boolean cycle = reaches(children, to, from);
            Http.Response r = http.put("/groups/dag" + from + "/children/dag" + to, null);
            if (cycle) {
                assertThat(r.status()).as("dag%d -> dag%d closes a cycle", from, to).isEqualTo(409);
                assertThat(r.json().get("type").asString()).endsWith("/cycle");
                refused++;
            } else {
                assertThat(r.status()).as("dag%d -> dag%d is acyclic", from, to).isEqualTo(204);
                children.get(from).add(to);
            }
        }
        assertThat(refused).isPositive();
        for (int i = 0; i < n; i++) {
            Set<String> inTree = new HashSet<>(zk.getChildren().forPath(layout.groupChildren("dag" + i)));
            Set<String> expected = new HashSet<>();
            children.get(i).forEach(j -> expected.add("dag" + j));
            assertThat(inTree).as("children of dag%d in ZooKeeper", i).isEqualTo(expected);
        }
    }

    private static boolean reaches(List<Set<Integer>> children, int from, int to) {
        if (from == to) {
            return true;
        }
        Set<Integer> seen = new HashSet<>();
        List<Integer> stack = new ArrayList<>(List.of(from));
        while (!stack.isEmpty()) {
            int g = stack.remove(stack.size() - 1);
            for (int c : children.get(g)) {
                if (c == to) {
                    return true;
                }
                if (seen.add(c)) {
                    stack.add(c);
                }
            }
        }
        return false;
    }

    private void assertTreeHasNoDanglingEdges() throws Exception {
        Set<String> hosts = new HashSet<>(zk.getChildren().forPath(layout.hosts()));
        Set<String> groups = new HashSet<>(zk.getChildren().forPath(layout.groups()));
        for (String g : groups) {
            if (g.equals("all")) {
                continue;
            }
            for (String h : zk.getChildren().forPath(layout.groupHosts(g))) {
                assertThat(hosts).as("member %s of %s", h, g).contains(h);
            }
            for (String c : zk.getChildren().forPath(layout.groupChildren(g))) {
                assertThat(groups).as("child %s of %s", c, g).contains(c);
            }
        }
    }
}
