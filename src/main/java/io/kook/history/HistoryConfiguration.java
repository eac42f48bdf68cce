package io.kook.history;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import io.kook.KookProperties;
import io.kook.Periodic;
import io.kook.store.Attribution;
import io.kook.store.InventoryWriter;
import io.kook.store.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Change records: who wrote (for the write path), where they are read from, reads of the past, reverts, retention. */
@Configuration(proxyBeanMethods = false)
class HistoryConfiguration {

    @Bean
    Supplier<Attribution> writeAttribution(KookProperties properties) {
        return new RequestAttribution(properties.history().requireReason());
    }

    @Bean
    HistoryStore historyStore(CuratorFramework client, ZkLayout layout) {
        return new HistoryStore(client, layout);
    }

    @Bean
    HistoryReads historyReads(HistoryStore store) {
        return new HistoryReads(store);
    }

    @Bean
    Reverter reverter(HistoryStore store, InventoryWriter writer, ZkLayout layout) {
        return new Reverter(store, writer, layout);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    HistoryCompactor historyCompactor(CuratorFramework client, ZkLayout layout, HistoryStore store,
                                      KookProperties properties) {
        return new HistoryCompactor(client, layout, store, properties.history().retention(),
                properties.history().maxAge());
    }

    /** The elected replica trims history every {@code kook.history.compact-interval}. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService historyCompaction(HistoryCompactor compactor, KookProperties properties) {
        return Periodic.every("kook-history-compact", properties.history().compactInterval(), compactor::compact);
    }
}
