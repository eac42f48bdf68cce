package io.kook.mirror;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.kook.inventory.Host;
import io.kook.inventory.Snapshot;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Merging deltas gives the same snapshot as building it from scratch, with names kept sorted. */
class SnapshotMergerTests {

    private static Host host(String name, int version) {
        return new Host(name, JsonNodeFactory.instance.objectNode().put("v", version), List.of(), version);
    }

    @Test
    void randomDeltasMergeToTheSameHostsAndSortedNamesAsAFullBuild() {
        Random random = new Random(11);
        Snapshot snapshot = Snapshot.EMPTY;
        TreeMap<String, Host> truth = new TreeMap<>();
        for (int round = 0; round < 200; round++) {
            List<Delta> batch = new ArrayList<>();
            for (int d = 0; d < 1 + random.nextInt(3); d++) {
                Map<String, Host> changes = new HashMap<>();
                for (int c = 0; c < random.nextInt(20); c++) {
                    String name = "h" + random.nextInt(500);
                    Host value = random.nextInt(3) == 0 ? null : host(name, round);
                    changes.put(name, value);
                    if (value == null) {
                        truth.remove(name);
                    } else {
                        truth.put(name, value);
                    }
                }
                batch.add(new Delta(round + 1, 0, 0, changes, Map.of(), null, false));
            }
            snapshot = SnapshotMerger.merge(snapshot, batch);
            assertThat(snapshot.hostNames()).containsExactlyElementsOf(truth.keySet());
            assertThat(snapshot.hostCount()).isEqualTo(truth.size());
            for (Map.Entry<String, Host> e : truth.entrySet()) {
                assertThat(snapshot.host(e.getKey())).isSameAs(e.getValue());
            }
        }
        assertThat(snapshot.revision()).isEqualTo(200);
    }

    @Test
    void aFullDeltaReplacesEverythingBeforeIt() {
        Snapshot first = SnapshotMerger.merge(Snapshot.EMPTY,
                List.of(new Delta(5, 0, 0, Map.of("a", host("a", 1), "b", host("b", 1)), Map.of(), null, false)));
        Snapshot reset = SnapshotMerger.merge(first, List.of(new Delta(9, 0, 0, Map.of("c", host("c", 1)), Map.of(), Map.of(), true)));
        assertThat(reset.hostNames()).containsExactly("c");
        assertThat(reset.host("a")).isNull();
        assertThat(reset.revision()).isEqualTo(9);
    }
}
