package io.kook.watch;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One {@code GET /events} subscriber: a bounded queue of events and at most one drain task at a time on the
 * shared sender pool. {@link SseEmitter#send} blocks while the client's socket is full, so each client gets its
 * own queue: a client that stops reading holds up only its own drain task, never the fan-out or another client.
 * A client that falls more than {@code capacity} events behind cannot be caught up by replaying what it missed
 * (its backlog is dropped to bound memory), so it is sent {@code event: reset} and its stream is closed.
 */
final class EventStream {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);

    /** One queued event; built into an {@link SseEmitter.SseEventBuilder} only when sent (builders are single-use). */
    record Event(String name, String id, Object data, String comment) {

        static Event of(String name, long revision, Object data) {
            return new Event(name, Long.toString(revision), data, null);
        }

        static Event comment(String text) {
            return new Event(null, null, null, text);
        }

        static Event reset(long revision, String reason) {
            return of("reset", revision, Map.of("revision", revision, "reason", reason));
        }

        SseEmitter.SseEventBuilder build() {
            SseEmitter.SseEventBuilder b = SseEmitter.event();
            if (comment != null) {
                return b.comment(comment);
            }
            return b.name(name).id(id).data(data, MediaType.APPLICATION_JSON);
        }
    }

    private final SseEmitter emitter;
    private final Executor senders;
    private final int capacity;
    private final Consumer<EventStream> onClosed;

    // guarded by this
    private final ArrayDeque<Event> queue = new ArrayDeque<>();
    private boolean draining;
    private boolean closing;
    private boolean closed;
    /** The newest revision queued for this client, so a resumption and a live entry never duplicate. */
    private long lastQueued;

    EventStream(SseEmitter emitter, Executor senders, int capacity, long lastQueued, Consumer<EventStream> onClosed) {
        this.emitter = emitter;
        this.senders = senders;
        this.capacity = capacity;
        this.lastQueued = lastQueued;
        this.onClosed = onClosed;
        emitter.onCompletion(this::closed);
        emitter.onTimeout(this::closed);
        emitter.onError(e -> closed());
    }

    /** Queues a change event unless this client already has that revision. */
    synchronized void change(ChangeLog.Entry entry) {
        if (entry.revision() <= lastQueued) {
            return;
        }
        lastQueued = entry.revision();
        offer(Event.of("change", entry.revision(), entry));
    }

    /** Queues a reset: everything before {@code revision} must be re-read. */
    synchronized void reset(long revision, String reason) {
        lastQueued = Math.max(lastQueued, revision);
        offer(Event.reset(revision, reason));
    }

    /** Queues a comment; a keep-alive is skipped when events are already waiting (they keep the stream alive). */
    synchronized void comment(String text, boolean onlyIfIdle) {
        if (onlyIfIdle && (draining || !queue.isEmpty())) {
            return;
        }
        offer(Event.comment(text));
    }

    /** Sends what is queued, then ends the stream (shutdown). */
    synchronized void finish() {
        closing = true;
        kick();
    }

    synchronized boolean open() {
        return !closed && !closing;
    }

    private void offer(Event event) {
        if (closed || closing) {
            return;
        }
        if (queue.size() >= capacity) {
            queue.clear();
            queue.add(Event.reset(lastQueued, "this client fell more than " + capacity
                    + " events behind; re-read everything and resume from this event's id"));
            closing = true;
            log.info("op=events.drop reason=\"client too slow\" queued={}", capacity);
            onClosed.accept(this);
        } else {
            queue.add(event);
        }
        kick();
    }

    private void kick() {
        if (draining || closed) {
            return;
        }
        draining = true;
        try {
            senders.execute(this::drain);
        } catch (RejectedExecutionException shuttingDown) {
            draining = false;
            closed = true;
        }
    }

    private void drain() {
        while (true) {
            Event next;
            boolean complete = false;
            synchronized (this) {
                next = closed ? null : queue.poll();
                if (next == null) {
                    draining = false;
                    complete = closing && !closed;
                    closed |= complete;
                }
            }
            if (next == null) {
                if (complete) {
                    emitter.complete();
                    onClosed.accept(this);
                }
                return;
            }
            try {
                emitter.send(next.build());
            } catch (IOException | IllegalStateException e) {
                // the client went away: routine for a stream, so no stack trace and no ERROR
                log.debug("op=events.disconnect reason=\"{}\"", e.toString());
                synchronized (this) {
                    closed = true;
                    queue.clear();
                    draining = false;
                }
                onClosed.accept(this);
                return;
            }
        }
    }

    private void closed() {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
        onClosed.accept(this);
    }
}
