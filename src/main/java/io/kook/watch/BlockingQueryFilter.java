package io.kook.watch;

import java.io.IOException;
import java.time.Duration;

import io.kook.inventory.KookException;
import io.kook.mirror.Mirror;
import io.kook.web.Durations;
import io.kook.web.MinRevision;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Consul-style blocking reads for every GET: {@code ?index=N&wait=30s} answers at once when the mirror is past
 * N, otherwise parks the request (servlet async, no thread held) until a newer revision is published or the
 * wait ends, then lets it run as a normal read of the latest snapshot. The answer's {@code X-Kook-Revision} is
 * the index to pass next time.
 *
 * <p>Reads with {@code ?minRevision=N} (or {@code X-Kook-Min-Revision}) that the mirror has not reached are
 * parked the same way, for up to {@code kook.mirror.max-revision-wait}; when they are woken the handler looks
 * once more (marked by {@link MinRevision#WAITED}, so it does not wait again on a request thread) and answers
 * from the snapshot, or 503 when the revision is still not applied. A read with both waits for
 * {@code minRevision} first.
 */
class BlockingQueryFilter extends OncePerRequestFilter {

    static final String INDEX = "index";
    static final String WAIT = "wait";

    /** Set on a request whose {@code index} wait is over. */
    private static final String INDEX_WAITED = BlockingQueryFilter.class.getName() + ".indexWaited";

    private final Mirror mirror;
    private final RevisionWaiters waiters;
    private final Duration maxWait;
    private final Duration maxRevisionWait;
    private final HandlerExceptionResolver resolver;

    BlockingQueryFilter(Mirror mirror, RevisionWaiters waiters, Duration maxWait, Duration maxRevisionWait,
                        HandlerExceptionResolver resolver) {
        this.mirror = mirror;
        this.waiters = waiters;
        this.maxWait = maxWait;
        this.maxRevisionWait = maxRevisionWait;
        this.resolver = resolver;
    }

    /** Runs again when a parked read is dispatched, to go on from the wait that woke it. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        if (!read || request.getAttribute(INDEX_WAITED) != null) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getAttribute(MinRevision.WAITED) == null) {
            String rawMin = MinRevision.raw(request);
            if (rawMin != null) {
                long min;
                try {
                    min = Durations.revision(MinRevision.PARAM, rawMin);
                } catch (KookException e) {
                    resolver.resolveException(request, response, null, e);
                    return;
                }
                if (mirror.snapshot().revision() < min && !maxRevisionWait.isZero()) {
                    request.setAttribute(MinRevision.WAITED, Boolean.TRUE);
                    AsyncContext async = request.startAsync(request, response);
                    async.setTimeout(maxRevisionWait.toMillis() + 30_000);
                    waiters.await(min - 1, maxRevisionWait, async::dispatch);
                    return;
                }
            }
        } else if (mirror.snapshot().revision() < Durations.revision(MinRevision.PARAM, MinRevision.raw(request))) {
            // woken by the deadline: the handler answers 503 without waiting again
            chain.doFilter(request, response);
            return;
        }
        String rawIndex = request.getParameter(INDEX);
        if (!"GET".equals(request.getMethod()) || rawIndex == null) {
            chain.doFilter(request, response);
            return;
        }
        long index;
        Duration wait;
        try {
            index = Durations.revision(INDEX, rawIndex);
            String rawWait = request.getParameter(WAIT);
            wait = rawWait == null ? maxWait : Durations.parse(WAIT, rawWait);
            if (wait.compareTo(maxWait) > 0) {
                wait = maxWait;
            }
        } catch (KookException e) {
            resolver.resolveException(request, response, null, e);
            return;
        }
        if (index == 0 || wait.isZero() || mirror.snapshot().revision() > index) {
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(INDEX_WAITED, Boolean.TRUE);
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(wait.toMillis() + 30_000);
        waiters.await(index, wait, async::dispatch);
    }
}
