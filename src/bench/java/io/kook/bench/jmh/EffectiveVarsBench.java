package io.kook.bench.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.kook.bench.BenchSnapshots;
import io.kook.bench.InventoryGenerator;
import io.kook.inventory.EffectiveVars;
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

/** {@code GET /hosts/{h}/vars}: one host's effective vars through its 2-4 leaf groups and their ancestors. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EffectiveVarsBench {

    @Param({"10000"})
    public int hosts;

    private Snapshot snapshot;
    private Host[] sample;
    private int next;

    @Setup
    public void setup() {
        snapshot = BenchSnapshots.build(InventoryGenerator.generate(hosts, 500, 42), 1);
        List<String> names = snapshot.hostNames();
        sample = new Host[1024];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = snapshot.host(names.get((int) ((long) i * 7919 % names.size())));
        }
        EffectiveVars.of(snapshot, sample[0]);   // depths memoized, as after the first request of a revision
    }

    @Benchmark
    public EffectiveVars resolve() {
        Host host = sample[next++ & (sample.length - 1)];
        return EffectiveVars.of(snapshot, host);
    }
}
