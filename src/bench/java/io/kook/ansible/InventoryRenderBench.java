package io.kook.ansible;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.kook.bench.BenchSnapshots;
import io.kook.bench.InventoryGenerator;
import io.kook.inventory.Host;
import io.kook.inventory.Snapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.ObjectNode;

/**
 * The per-revision cost of the Ansible document: {@code renderJson} renders a whole document from nothing
 * (derived views already memoized on the snapshot); {@code newRevisionJsonAndGzip} is what the first reader of
 * a revision that changed one host's vars pays (derived views, the changed run's JSON and deflate block, the
 * pieces joined).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InventoryRenderBench {

    @Param({"10000"})
    public int hosts;

    @Param({"500"})
    public int groups;

    private Snapshot snapshot;

    @Setup
    public void setup() {
        snapshot = BenchSnapshots.build(InventoryGenerator.generate(hosts, groups, 42), 1);
        InventoryRenderer.of(snapshot);
    }

    @Benchmark
    public byte[] renderJson() {
        return InventoryRenderer.render(snapshot);
    }

    @Benchmark
    public InventoryRenderer.Rendered newRevisionJsonAndGzip() {
        String name = snapshot.hostNames().get((int) (snapshot.revision() * 7919 % snapshot.hostCount()));
        Host host = snapshot.host(name);
        ObjectNode vars = host.vars().deepCopy().put("bench_revision", snapshot.revision());
        Snapshot next = new Snapshot(snapshot.revision() + 1, snapshot.topologyVersion(), snapshot.importVersion(),
                snapshot.hostShards().with(Map.of(name, new Host(name, vars, host.groups(), host.version() + 1))),
                snapshot.storedGroupMap(), snapshot.hostNames(), snapshot.storedGroupNames(), snapshot.services(),
                snapshot);
        snapshot = next;
        return InventoryRenderer.of(next);
    }
}
