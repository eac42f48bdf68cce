package io.kook.web;

import java.time.Duration;

import io.kook.inventory.KookException;
import io.kook.inventory.Snapshot;
import io.kook.mirror.Mirror;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives a handler the snapshot it answers from: the latest one, or, with {@code ?minRevision=N} or
 * {@code X-Kook-Min-Revision: N}, the first one at or past N (waiting up to the configured bound, then 503).
 * The response's {@code X-Kook-Revision} becomes that snapshot's revision.
 */
class SnapshotArgumentResolver implements HandlerMethodArgumentResolver {

    static final String MIN_REVISION_PARAM = MinRevision.PARAM;
    static final String MIN_REVISION_HEADER = MinRevision.HEADER;

    private final Mirror mirror;
    private final Duration maxWait;
    private final PointInTime history;

    SnapshotArgumentResolver(Mirror mirror, Duration maxWait, PointInTime history) {
        this.mirror = mirror;
        this.maxWait = maxWait;
        this.history = history;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Snapshot.class;
    }

    @Override
    public Snapshot resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                    WebDataBinderFactory binderFactory) throws Exception {
        String raw = request.getParameter(MIN_REVISION_PARAM);
        if (raw == null) {
            raw = request.getHeader(MIN_REVISION_HEADER);
        }
        // a read the blocking-query filter parked has waited already (holding no thread): only look now
        boolean waited = request.getAttribute(MinRevision.WAITED, NativeWebRequest.SCOPE_REQUEST) != null;
        Snapshot snapshot = raw == null ? mirror.snapshot()
                : await(Durations.revision(MIN_REVISION_PARAM, raw), waited ? Duration.ZERO : maxWait);
        String at = request.getParameter(AtRevision.PARAM);
        if (at != null) {
            if (!parameter.hasMethodAnnotation(AtRevision.class) || history == null) {
                throw KookException.invalid(AtRevision.PARAM, "this read shows live state, which history does not"
                        + " keep; atRevision applies to hosts, groups and the Ansible inventory");
            }
            long revision = Durations.revision(AtRevision.PARAM, at);
            // a revision this replica has not applied yet waits as minRevision does
            snapshot = history.at(revision, snapshot.revision() >= revision ? snapshot : await(revision, maxWait));
        }
        HttpServletResponse response = request.getNativeResponse(HttpServletResponse.class);
        if (response != null) {
            response.setHeader(ReadHeadersFilter.REVISION, Long.toString(snapshot.revision()));
        }
        return snapshot;
    }

    private Snapshot await(long revision, Duration wait) throws InterruptedException {
        Snapshot snapshot = mirror.awaitRevision(revision, wait);
        if (snapshot == null) {
            throw new KookException.Unavailable("this replica has not yet applied revision " + revision
                    + " (it is at " + mirror.snapshot().revision() + "); retry shortly");
        }
        return snapshot;
    }
}
