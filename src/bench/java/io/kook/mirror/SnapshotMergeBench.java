package io.kook.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.kook.bench.BenchSnapshots;
import io.kook.bench.InventoryGenerator;
import io.kook.inventory.Group;
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

/**
 * Publishing a new mirror snapshot after one write: a host's vars changed, a membership added (host and
 * group records replaced), a host created (sorted names rebuilt). No service registration changes
 * ({@code services} null).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SnapshotMergeBench {

    @Param({"10000"})
    public int hosts;

    private Snapshot previous;
    private List<Delta> hostVarsChanged;
    private List<Delta> membershipAdded;
    private List<Delta> hostCreated;

    @Setup
    public void setup() {
        previous = BenchSnapshots.build(InventoryGenerator.generate(hosts, 500, 42), 1000);
        String hostName = previous.hostNames().get(hosts / 2);
        Host host = previous.host(hostName);
        Host patched = new Host(hostName, BenchSnapshots.vars(Map.of("rack", "r99")), host.groups(), host.version() + 1);
        hostVarsChanged = List.of(new Delta(1001, 1, 0, Map.of(hostName, patched), Map.of(), null, false));

        String groupName = previous.storedGroupNames().stream().filter(g -> !previous.storedGroup(g).hosts().contains(hostName)
                && previous.storedGroup(g).children().isEmpty() && !g.equals("all")).findFirst().orElseThrow();
        Group group = previous.storedGroup(groupName);
        List<String> members = new ArrayList<>(group.hosts());
        members.add(hostName);
        members.sort(null);
        List<String> hostGroups = new ArrayList<>(host.groups());
        hostGroups.add(groupName);
        hostGroups.sort(null);
        membershipAdded = List.of(new Delta(1001, 1, 0,
                Map.of(hostName, new Host(hostName, host.vars(), hostGroups, host.version() + 1)),
                Map.of(groupName, new Group(groupName, group.vars(), members, group.children(), group.parents(),
                        group.version() + 1)), null, false));

        hostCreated = List.of(new Delta(1001, 1, 0,
                Map.of("zz-new.example.com", new Host("zz-new.example.com", BenchSnapshots.vars(Map.of()), List.of(), 1)),
                Map.of(), null, false));
    }

    @Benchmark
    public Snapshot hostVarsChanged() {
        return SnapshotMerger.merge(previous, hostVarsChanged);
    }

    @Benchmark
    public Snapshot membershipAdded() {
        return SnapshotMerger.merge(previous, membershipAdded);
    }

    @Benchmark
    public Snapshot hostCreated() {
        return SnapshotMerger.merge(previous, hostCreated);
    }
}
