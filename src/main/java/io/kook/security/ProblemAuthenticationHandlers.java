package io.kook.security;

import java.io.IOException;

import io.kook.web.RawProblems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 401 and 403 as RFC 9457 problems, with the contract's {@code WWW-Authenticate: Bearer realm="kook"}. */
final class ProblemAuthenticationHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final AuthFailures failures;

    ProblemAuthenticationHandlers(AuthFailures failures) {
        this.failures = failures;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        boolean sent = request.getHeader("Authorization") != null;
        failures.unauthenticated(request, e);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"kook\"");
        RawProblems.write(response, 401, sent ? "the bearer token is unknown, expired or revoked"
                : "this request needs a bearer token (Authorization: Bearer <secret>)");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        failures.forbidden();
        Caller caller = Caller.current();
        RawProblems.write(response, 403, "token " + caller.name() + " (role " + caller.role().wire()
                + ") may not " + request.getMethod() + " " + request.getRequestURI());
    }
}
