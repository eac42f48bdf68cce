package io.kook.web;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, the client's {@code X-Request-Id} or a new UUID, echoed on the response (401s and
 * problems too), kept with the write's change record and put in the log context as {@code requestId}, so one id
 * follows a change from the client's log through Kook's log to {@code GET /changes}.
 */
public final class RequestIdFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    /** The request attribute holding the id. */
    public static final String ATTRIBUTE = RequestIdFilter.class.getName();

    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{1,200}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = request.getHeader(HEADER);
        if (id == null || id.isEmpty()) {
            id = io.kook.Ids.random();
        } else if (!VALID.matcher(id).matches()) {
            RawProblems.write(response, HttpServletResponse.SC_BAD_REQUEST,
                    "X-Request-Id must be 1-200 visible ASCII characters (no spaces); leave it out to get one");
            return;
        }
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(HEADER, id);
        MDC.put("requestId", id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove("requestId");
        }
    }
}
