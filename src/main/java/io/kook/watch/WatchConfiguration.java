package io.kook.watch;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.kook.KookProperties;
import io.kook.mirror.Mirror;
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
                new BlockingQueryFilter(mirror, waiters, properties.watch().maxWait(), resolver));
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
    ChangeLog changeLog(KookProperties properties) {
        return new ChangeLog(properties.watch().retained());
    }

    @Bean
    EventHub eventHub(Mirror mirror, ChangeLog log, KookProperties properties) {
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kook-events");
            t.setDaemon(true);
            return t;
        });
        return new EventHub(mirror, log, sender, properties.watch().heartbeat());
    }
}
