package io.kook.mirror;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The mirror's lag bookkeeping: plain JUnit, time injected as nanoTime values. */
class MirrorLagTests {

    private static final long S = 1_000_000_000L;

    @Test
    void aMirrorThatPublishedEverythingItHeardOfHasNoLag() {
        MirrorLag lag = new MirrorLag();
        assertThat(lag.seconds(5 * S)).isZero();
        lag.seen(1 * S);
        lag.cut(10, 0);
        lag.published(10);
        assertThat(lag.revisions()).isZero();
        assertThat(lag.seconds(5 * S)).isZero();
    }

    @Test
    void lagRunsFromTheOldestChangeHeardOfUntilASnapshotCoversIt() {
        MirrorLag lag = new MirrorLag();
        lag.seen(1 * S);
        lag.seen(2 * S);
        assertThat(lag.revisions()).as("heard of, not yet in a delta").isEqualTo(2);
        assertThat(lag.seconds(4 * S)).isEqualTo(3.0);
        lag.cut(20, 0);
        lag.seen(3 * S);
        assertThat(lag.revisions()).isEqualTo(3);
        assertThat(lag.seconds(4 * S)).as("from the oldest, in the cut delta").isEqualTo(3.0);
        lag.published(20);
        assertThat(lag.revisions()).as("only the change after the published delta").isOne();
        assertThat(lag.seconds(4 * S)).isEqualTo(1.0);
        lag.cut(21, 20);
        lag.published(21);
        assertThat(lag.revisions()).isZero();
        assertThat(lag.seconds(9 * S)).isZero();
    }

    @Test
    void aCutDropsWhatThePublishedSnapshotAlreadyCoversWithoutAListener() {
        MirrorLag lag = new MirrorLag();
        for (int i = 1; i <= 1000; i++) {
            lag.seen(i);
            lag.cut(i, i - 1);
        }
        assertThat(lag.revisions()).as("only the last delta is unpublished").isOne();
    }
}
