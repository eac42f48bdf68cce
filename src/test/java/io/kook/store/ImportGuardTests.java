package io.kook.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.kook.inventory.Snapshot;
import org.apache.zookeeper.Op;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The import guard's data, lease rule and settling rule: plain JUnit, time injected as nanoTime values. */
class ImportGuardTests {

    private static final long MS = 1_000_000L;

    @Nested
    class Lease {

        @Test
        void anImportThatRenewsWithinItsLeaseIsNeverAbandonedHoweverLongItRuns() {
            GuardWatch watch = new GuardWatch();
            long t = 123_456_789L;
            int version = 7;
            // 100 batches, each taking 90% of a 1 s lease: the import runs for 90 leases
            for (int batch = 0; batch < 100; batch++) {
                watch.observe(version++, ImportGuard.parse(ImportGuard.open("imp", 1000, batch)), t);
                t += 900 * MS;
                assertThat(watch.abandoned(t)).as("after batch " + batch).isFalse();
                assertThat(watch.holding(t)).isTrue();
            }
        }

        @Test
        void aGuardLeftUnchangedForLongerThanItsLeaseIsAbandoned() {
            GuardWatch watch = new GuardWatch();
            ImportGuard.Lease lease = ImportGuard.parse(ImportGuard.open("imp", 1000, 3));
            watch.observe(4, lease, 0);
            watch.observe(4, lease, 999 * MS); // seeing the same version again does not restart the lease
            assertThat(watch.abandoned(1000 * MS)).isFalse();
            assertThat(watch.nanosUntilAbandoned(1000 * MS)).isPositive();
            assertThat(watch.abandoned(1001 * MS)).isTrue();
            assertThat(watch.holding(1001 * MS)).isFalse();
        }

        @Test
        void aReplicaWhoseWallClockIsHoursOffJudgesALiveGuardExactlyLikeOneOnTime() {
            byte[] data = ImportGuard.open("imp", 1000, 2);
            // the guard carries no instant that could be compared with a skewed wall clock
            assertThat(new String(data, StandardCharsets.UTF_8)).doesNotContain("until");
            // the mirror holds back publishing while the guard says open, whatever any clock says
            assertThat(ImportGuard.parse(data).open()).isTrue();
            // two replicas whose monotonic clocks have unrelated origins reach the same verdicts
            GuardWatch onTime = new GuardWatch();
            GuardWatch skewed = new GuardWatch();
            long a = 5 * MS;
            long b = Long.MAX_VALUE - 2_000 * MS; // wraps during the test: nanoTime differences still work
            onTime.observe(9, ImportGuard.parse(data), a);
            skewed.observe(9, ImportGuard.parse(data), b);
            for (long elapsed : new long[]{0, 500 * MS, 1000 * MS, 1001 * MS, 5000 * MS}) {
                assertThat(skewed.abandoned(b + elapsed)).as("after " + elapsed / MS + " ms")
                        .isEqualTo(onTime.abandoned(a + elapsed));
            }
            assertThat(onTime.abandoned(a + 500 * MS)).isFalse();
            assertThat(onTime.abandoned(a + 1001 * MS)).isTrue();
        }

        @Test
        void aClosedGuardIsNeverAbandonedAndOldGuardDataGetsTheDefaultLease() {
            GuardWatch watch = new GuardWatch();
            watch.observe(3, ImportGuard.parse(ImportGuard.closed()), 0);
            assertThat(watch.abandoned(Long.MAX_VALUE / 2)).isFalse();
            assertThat(ImportGuard.parse(ImportGuard.closedBy("imp")).open()).isFalse();
            assertThat(ImportGuard.parse("not json".getBytes(StandardCharsets.UTF_8)).open()).isFalse();
            ImportGuard.Lease legacy = ImportGuard.parse("{\"open\":\"old\",\"until\":1}".getBytes(StandardCharsets.UTF_8));
            assertThat(legacy.open()).isTrue();
            assertThat(legacy.leaseMs()).isEqualTo(ImportGuard.LEGACY_LEASE_MS);
        }
    }

    @Nested
    class Settling {

        private final byte[] before = ImportGuard.open("imp", 1000, 0);
        private final byte[] sent = ImportGuard.open("imp", 1000, 1);

        @Test
        void aFirstBatchWhoseAnswerWasLostButThatAppliedIsSettledAsApplied() {
            assertThat(ImportGuard.settle(5, before, sent, 6, sent)).isEqualTo(ImportGuard.Settled.APPLIED);
        }

        @Test
        void aBatchThatDidNotApplyIsSentAgain() {
            assertThat(ImportGuard.settle(5, before, sent, 5, before)).isEqualTo(ImportGuard.Settled.NOT_APPLIED);
        }

        @Test
        void aGuardClosedAsAbandonedOrTakenOverStopsTheImport() {
            assertThat(ImportGuard.settle(5, before, sent, 6, ImportGuard.closed())).isEqualTo(ImportGuard.Settled.LOST);
            assertThat(ImportGuard.settle(5, before, sent, 8, ImportGuard.open("other", 1000, 0)))
                    .isEqualTo(ImportGuard.Settled.LOST);
            assertThat(ImportGuard.settle(5, before, sent, 5, ImportGuard.open("other", 1000, 0)))
                    .isEqualTo(ImportGuard.Settled.LOST);
        }

        @Test
        void theLastBatchIsSettledByItsOwnClose() {
            byte[] closed = ImportGuard.closedBy("imp");
            assertThat(ImportGuard.settle(9, sent, closed, 10, closed)).isEqualTo(ImportGuard.Settled.APPLIED);
            assertThat(ImportGuard.settle(9, sent, closed, 10, ImportGuard.closedBy("other")))
                    .isEqualTo(ImportGuard.Settled.LOST);
        }
    }

    @Test
    void everyBatchRenewsTheGuardAtTheNextVersionAndTheLastClosesItBeforeTheMarker() {
        ZkLayout layout = new ZkLayout("/k");
        Change change = new Change(Snapshot.EMPTY, layout);
        ObjectNode vars = JsonNodeFactory.instance.objectNode().put("payload", "x".repeat(2000));
        for (int i = 0; i < 1500; i++) {
            change.createHost("h" + i, vars);
        }
        byte[] marker = ZkLayout.commitMarker("imp");
        List<List<Op>> batches = change.batches(marker, "imp", 1000, 40);
        assertThat(batches.size()).isGreaterThan(2);
        List<Integer> versions = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            List<Op> batch = batches.get(i);
            Op guard = batch.stream().filter(op -> op.getPath().equals(layout.importGuard())).findFirst().orElseThrow();
            Op.SetData set = (Op.SetData) guard;
            versions.add(((org.apache.zookeeper.proto.SetDataRequest) set.toRequestRecord()).getVersion());
            byte[] data = ((org.apache.zookeeper.proto.SetDataRequest) set.toRequestRecord()).getData();
            if (i < batches.size() - 1) {
                assertThat(ImportGuard.parse(data)).isEqualTo(new ImportGuard.Lease("imp", 1000, i + 1));
                assertThat(batch.get(batch.size() - 1).getPath()).isEqualTo(layout.importGuard());
            } else {
                assertThat(data).isEqualTo(ImportGuard.closedBy("imp"));
                assertThat(batch.get(batch.size() - 1).getPath()).isEqualTo(layout.commit());
            }
        }
        assertThat(versions).isEqualTo(java.util.stream.IntStream.range(40, 40 + batches.size()).boxed().toList());
    }
}
