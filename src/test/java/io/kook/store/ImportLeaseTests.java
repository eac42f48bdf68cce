package io.kook.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The import guard's lease on real replicas: renewed by every batch, given up only when its importer stops. */
class ImportLeaseTests {

    private static final Duration LEASE = Duration.ofSeconds(3);

    private static Http.Response importIni(Replica kook, String ini) {
        return kook.http().send("POST", "/ansible/inventory?mode=replace", "text/plain", ini);
    }

    @Test
    void aBatchedImportThatRunsLongerThanItsLeaseStaysInvisibleUntilItCommitsWhole() throws Exception {
        String root = SharedZooKeeper.uniqueRoot("import-lease");
        String lease = "kook.imports.lease=" + LEASE.toMillis() + "ms";
        try (Replica importer = Replica.start(SharedZooKeeper.connectString(), root, lease);
             Replica observer = Replica.start(SharedZooKeeper.connectString(), root, lease)) {
            importIni(importer, "[seed]\nseed1\n");
            StringBuilder ini = new StringBuilder();
            int hosts = 6000;
            for (int g = 0; g < 20; g++) {
                ini.append("[big").append(g).append("]\n");
                for (int h = g; h < hosts; h += 20) {
                    ini.append("host-").append(h).append(".example.com payload=\"").append("x".repeat(120))
                            .append("\" n=").append(h).append('\n');
                }
            }
            // pace the import: each batch ends well inside the lease, the whole import outlasts it
            AtomicInteger batches = new AtomicInteger();
            importer.bean(InventoryWriter.class).afterEachBatch(n -> {
                batches.set(n);
                LockSupport.parkNanos(LEASE.toNanos() * 6 / 10);
            });
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService reader = Executors.newSingleThreadExecutor();
            Future<List<long[]>> seen = reader.submit(() -> {
                List<long[]> sizes = new ArrayList<>();
                while (!done.get()) {
                    Http.Response r = observer.http().get("/ansible/inventory");
                    sizes.add(new long[]{r.revision(), r.json().get("_meta").get("hostvars").size()});
                }
                return sizes;
            });
            long started = System.nanoTime();
            Http.Response r = importIni(importer, ini.toString());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            done.set(true);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(batches.get()).as("batches before the last").isGreaterThanOrEqualTo(2);
            assertThat(took).as("the premise: the import outlasted its lease").isGreaterThan(LEASE);
            List<long[]> sizes = seen.get(60, TimeUnit.SECONDS);
            reader.shutdown();
            long lastRevision = 0;
            for (long[] s : sizes) {
                assertThat(s[1]).as("hosts the observer showed at revision " + s[0]).isIn(1L, (long) hosts);
                assertThat(s[0]).as("revisions never go back").isGreaterThanOrEqualTo(lastRevision);
                lastRevision = s[0];
            }
            JsonNode inv = observer.http().get("/ansible/inventory?minRevision=" + r.revision()).json();
            assertThat(inv.get("_meta").get("hostvars").size()).isEqualTo(hosts);
            assertThat(observer.http().put("/hosts/after-import", "{}").status()).isEqualTo(201);
        }
    }

    @Test
    void aGuardWhoseImporterStoppedIsClosedSoWritesResume() throws Exception {
        String root = SharedZooKeeper.uniqueRoot("import-abandoned");
        try (Replica kook = Replica.start(SharedZooKeeper.connectString(), root, "kook.imports.lease=1s")) {
            CuratorFramework client = kook.bean(CuratorFramework.class);
            ZkLayout layout = kook.bean(ZkLayout.class);
            Stat stat = client.checkExists().forPath(layout.importGuard());
            // an importer that opened the guard, committed two batches and died
            client.setData().withVersion(stat.getVersion())
                    .forPath(layout.importGuard(), ImportGuard.open("dead-importer", 1000, 2));
            Await.until(Duration.ofSeconds(15), "the mirror to see the open guard",
                    () -> kook.http().put("/hosts/blocked", "{}").status() == 503);
            Await.until(Duration.ofSeconds(30), "writes to resume once the guard is given up",
                    () -> kook.http().put("/hosts/after-abandoned", "{}").status() == 201);
            byte[] data = client.getData().forPath(layout.importGuard());
            assertThat(ImportGuard.parse(data).open()).isFalse();
        }
    }
}
