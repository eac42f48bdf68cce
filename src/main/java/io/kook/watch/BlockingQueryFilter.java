package io.kook.watch;

import java.io.IOException;
import java.time.Duration;

import io.kook.inventory.KookException;
import io.kook.mirror.Mirror;
import io.kook.web.Durations;
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
 */
class BlockingQueryFilter extends OncePerRequestFilter {

    static final String INDEX = "index";
    static final String WAIT = "wait";

    private final Mirror mirror;
    private final RevisionWaiters waiters;
    private final Duration maxWait;
    private final HandlerExceptionResolver resolver;

    BlockingQueryFilter(Mirror mirror, RevisionWaiters waiters, Duration maxWait, HandlerExceptionResolver resolver) {
        this.mirror = mirror;
        this.waiters = waiters;
        this.maxWait = maxWait;
        this.resolver = resolver;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
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
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(wait.toMillis() + 30_000);
        waiters.await(index, wait, async::dispatch);
    }
}
