package io.kook.watch;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import io.kook.KookProperties;
import io.kook.mirror.Mirror;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;

/** Blocking reads and the event stream. */
@Configuration(proxyBeanMethods = false)
class WatchConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService watchTimer() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kook-watch");
            t.setDaemon(true);
            return t;
        });
    }

    @Bean
    RevisionWaiters revisionWaiters(Mirror mirror, @Qualifier("watchTimer") ScheduledExecutorService watchTimer) {
        return new RevisionWaiters(mirror, watchTimer);
    }

    @Bean
    FilterRegistrationBean<BlockingQueryFilter> blockingQueryFilter(Mirror mirror, RevisionWaiters waiters,
            KookProperties properties, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        FilterRegistrationBean<BlockingQueryFilter> registration = new FilterRegistrationBean<>(
                new BlockingQueryFilter(mirror, waiters, properties.watch().maxWait(),
                        properties.mirror().maxRevisionWait(), resolver));
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        registration.setAsyncSupported(true);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    /** Ends streams and parked reads when shutdown begins, before the web server waits for open requests. */
    @Bean
    org.springframework.context.ApplicationListener<org.springframework.context.event.ContextClosedEvent> watchShutdown(
            EventHub hub, RevisionWaiters waiters) {
        return event -> {
            hub.closeAll();
            waiters.releaseAll();
        };
    }

    @Bean
    SubscriberMetrics subscriberMetrics(EventHub hub, RevisionWaiters waiters, MeterRegistry meters) {
        return new SubscriberMetrics(hub, waiters, meters);
    }

    /**
     * {@code kook.subscribers}: open {@code /events} streams ({@code kind=sse}) and parked reads
     * ({@code kind=blocking}: {@code ?index=} and {@code minRevision} waits), counted on scrape, so an alert sees
     * clients piling up before threads or memory run out.
     */
    static final class SubscriberMetrics {
        private static final String DESCRIPTION =
                "Open subscriptions: kind=sse event streams, kind=blocking parked blocking and minRevision reads";

        SubscriberMetrics(EventHub hub, RevisionWaiters waiters, MeterRegistry meters) {
            Gauge.builder("kook.subscribers", hub, EventHub::subscribers).tag("kind", "sse")
                    .description(DESCRIPTION).register(meters);
            Gauge.builder("kook.subscribers", waiters, RevisionWaiters::parked).tag("kind", "blocking")
                    .description(DESCRIPTION).register(meters);
        }
    }

    @Bean
    ChangeLog changeLog(KookProperties properties) {
        return new ChangeLog(properties.watch().retained());
    }

    /**
     * The hub with its two kinds of threads: one fan-out thread that only queues, and a pool that writes to
     * clients. The pool grows with the number of clients being written to at once (a client that stops reading
     * holds one thread until Tomcat's write timeout fails its write), and idle threads end after a minute.
     */
    @Bean(destroyMethod = "close")
    EventHub eventHub(Mirror mirror, ChangeLog log, KookProperties properties) {
        ScheduledExecutorService fanOut = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kook-events");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger sendThreads = new AtomicInteger();
        ExecutorService senders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kook-events-send-" + sendThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new EventHub(mirror, log, fanOut, senders, properties.watch().heartbeat(),
                properties.watch().clientBacklog());
    }
}
