package io.kook.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The {@code minRevision} read-your-writes wait: the query parameter, its header twin, and the request attribute
 * that marks a read which has already been parked (servlet async, no thread held) until the mirror reached the
 * revision or the wait ran out, so the handler answers at once instead of waiting again on a request thread.
 */
public final class MinRevision {

    public static final String PARAM = "minRevision";
    public static final String HEADER = "X-Kook-Min-Revision";
    /** Set on a request whose wait is over; the snapshot resolver then only looks, it does not wait. */
    public static final String WAITED = MinRevision.class.getName() + ".waited";

    private MinRevision() {
    }

    /** The raw revision the request asks for, or {@code null}. */
    public static String raw(HttpServletRequest request) {
        String raw = request.getParameter(PARAM);
        return raw != null ? raw : request.getHeader(HEADER);
    }
}
