package io.kook.watch;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.kook.mirror.Mirror;
import io.kook.mirror.Published;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Fans the change log out to {@code GET /events} subscribers. All sends run on one thread, in order, so a slow
 * client never holds up the mirror and every subscriber sees revisions in increasing order; each subscriber
 * remembers the last revision it was sent, so a resumption and a live entry never duplicate.
 */
final class EventHub {

    private static final class Subscriber {
        final SseEmitter emitter;
        long lastSent;

        Subscriber(SseEmitter emitter, long lastSent) {
            this.emitter = emitter;
            this.lastSent = lastSent;
        }
    }

    private final Mirror mirror;
    private final ChangeLog log;
    private final ScheduledExecutorService sender;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    EventHub(Mirror mirror, ChangeLog log, ScheduledExecutorService sender, Duration heartbeat) {
        this.mirror = mirror;
        this.log = log;
        this.sender = sender;
        mirror.onPublish(this::onPublish);
        sender.scheduleWithFixedDelay(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Subscribes from {@code lastEventId} (a revision; {@code null} for "from now"): first the retained entries
     * after it, or a {@code reset} event when it is older than the window.
     */
    void subscribe(SseEmitter emitter, Long lastEventId) {
        sender.execute(() -> {
            long now = mirror.snapshot().revision();
            Subscriber subscriber = new Subscriber(emitter, now);
            if (lastEventId != null) {
                Optional<List<ChangeLog.Entry>> backlog = log.since(lastEventId);
                if (backlog.isEmpty()) {
                    send(subscriber, SseEmitter.event().name("reset").id(Long.toString(now))
                            .data(Map.of("revision", now, "reason", "revision " + lastEventId
                                    + " is older than this replica's retained history; re-read everything"),
                                    MediaType.APPLICATION_JSON));
                } else {
                    subscriber.lastSent = lastEventId;
                    for (ChangeLog.Entry entry : backlog.get()) {
                        sendEntry(subscriber, entry);
                    }
                }
            } else {
                send(subscriber, SseEmitter.event().comment("kook events from revision " + now));
            }
            emitter.onCompletion(() -> subscribers.remove(subscriber));
            emitter.onTimeout(() -> subscribers.remove(subscriber));
            emitter.onError(e -> subscribers.remove(subscriber));
            subscribers.add(subscriber);
        });
    }

    /** Ends every stream, so a graceful shutdown does not wait on clients that never hang up. */
    void closeAll() {
        for (Subscriber s : subscribers) {
            subscribers.remove(s);
            s.emitter.complete();
        }
    }

    int subscribers() {
        return subscribers.size();
    }

    private void onPublish(Published published) {
        if (published.reset()) {
            log.accept(published);
            long revision = published.current().revision();
            sender.execute(() -> {
                for (Subscriber s : subscribers) {
                    send(s, SseEmitter.event().name("reset").id(Long.toString(revision))
                            .data(Map.of("revision", revision, "reason", "this replica re-read the inventory"),
                                    MediaType.APPLICATION_JSON));
                    s.lastSent = revision;
                }
            });
            return;
        }
        log.accept(published).ifPresent(entry -> sender.execute(() -> {
            for (Subscriber s : subscribers) {
                sendEntry(s, entry);
            }
        }));
    }

    private void sendEntry(Subscriber subscriber, ChangeLog.Entry entry) {
        if (entry.revision() <= subscriber.lastSent) {
            return;
        }
        subscriber.lastSent = entry.revision();
        send(subscriber, SseEmitter.event().name("change").id(Long.toString(entry.revision()))
                .data(entry, MediaType.APPLICATION_JSON));
    }

    private void heartbeat() {
        for (Subscriber s : subscribers) {
            send(s, SseEmitter.event().comment("keep-alive"));
        }
    }

    private void send(Subscriber subscriber, SseEmitter.SseEventBuilder event) {
        try {
            subscriber.emitter.send(event);
        } catch (IOException | IllegalStateException e) {
            subscribers.remove(subscriber);
            subscriber.emitter.completeWithError(e);
        }
    }
}
