package io.kook.watch;

import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.kook.mirror.Mirror;
import io.kook.mirror.Published;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Fans the change log out to {@code GET /events} subscribers. One fan-out thread orders subscriptions, backlogs
 * and live entries, so every subscriber sees revisions in increasing order; it only ever queues, never writes
 * to a socket. Writing is each subscriber's own {@link EventStream} on the {@code senders} pool, so a client
 * that stops reading delays nobody else and is dropped with {@code event: reset} once it falls too far behind.
 *
 * <p>Event ids are revisions (ZooKeeper zxids), which mean the same on every replica and across restarts. A
 * resumption from a revision this process cannot prove it has every later change for (outside the retained
 * window, or before this process started listening or last re-read the inventory) gets {@code event: reset}.
 */
final class EventHub implements Closeable {

    private final Mirror mirror;
    private final ChangeLog log;
    private final ScheduledExecutorService fanOut;
    private final ExecutorService senders;
    private final int clientBacklog;
    private final List<EventStream> streams = new CopyOnWriteArrayList<>();

    EventHub(Mirror mirror, ChangeLog log, ScheduledExecutorService fanOut, ExecutorService senders,
             Duration heartbeat, int clientBacklog) {
        this.mirror = mirror;
        this.log = log;
        this.fanOut = fanOut;
        this.senders = senders;
        this.clientBacklog = clientBacklog;
        mirror.onPublish(this::onPublish);
        // only now does every later publication reach the log; before the first load there is no history at all
        if (mirror.primed()) {
            log.listeningSince(mirror.snapshot().revision());
        }
        fanOut.scheduleWithFixedDelay(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Subscribes from {@code lastEventId} (a revision; {@code null} for "from now"): first the retained entries
     * after it, or a {@code reset} event when this replica cannot replay exactly what followed it.
     */
    void subscribe(SseEmitter emitter, Long lastEventId) {
        fanOut.execute(() -> {
            long now = mirror.snapshot().revision();
            Optional<List<ChangeLog.Entry>> backlog = lastEventId == null ? Optional.empty() : log.since(lastEventId);
            EventStream stream = new EventStream(emitter, senders, clientBacklog,
                    backlog.isPresent() ? lastEventId : now, streams::remove);
            if (lastEventId == null) {
                stream.comment("kook events from revision " + now, false);
            } else if (backlog.isEmpty()) {
                stream.reset(now, "revision " + lastEventId + " is not in this replica's history (older than the"
                        + " retained window, or from before this process last read the inventory); re-read everything");
            } else {
                backlog.get().forEach(stream::change);
            }
            if (stream.open()) {
                streams.add(stream);
            }
        });
    }

    /** Ends every stream, so a graceful shutdown does not wait on clients that never hang up. */
    void closeAll() {
        for (EventStream s : streams) {
            streams.remove(s);
            s.finish();
        }
    }

    int subscribers() {
        return streams.size();
    }

    /** Ends the streams and stops both threads; a sender stuck on a dead client is abandoned after a grace period. */
    @Override
    public void close() {
        closeAll();
        fanOut.shutdownNow();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(2, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void onPublish(Published published) {
        if (fanOut.isShutdown()) {
            return;
        }
        if (published.reset()) {
            log.accept(published);
            long revision = published.current().revision();
            fanOut.execute(() -> streams.forEach(s -> s.reset(revision, "this replica re-read the inventory")));
            return;
        }
        log.accept(published).ifPresent(entry -> fanOut.execute(() -> streams.forEach(s -> s.change(entry))));
    }

    private void heartbeat() {
        streams.forEach(s -> s.comment("keep-alive", true));
    }
}
