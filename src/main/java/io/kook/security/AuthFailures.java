package io.kook.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

/**
 * {@code kook.auth.failures} by reason, so an alert can tell a client that lost its token from someone guessing
 * secrets. Every reason is registered at startup (at 0). Reasons:
 * <ul>
 * <li>{@code missing}: no {@code Authorization} header on a call that needs a token (401)</li>
 * <li>{@code malformed}: an {@code Authorization} header that is not {@code Bearer <secret>} (401)</li>
 * <li>{@code unknown}: a bearer secret no token has (never created, or revoked) (401)</li>
 * <li>{@code expired}: the secret of a token past its {@code expiresAt} (401)</li>
 * <li>{@code forbidden}: a valid token whose role does not allow the call, or whose group scope or privileged-vars
 * right does not allow the change (403)</li>
 * </ul>
 */
public final class AuthFailures {

    /** The Micrometer name, shared with the web layer's 403 for refused changes. */
    public static final String NAME = "kook.auth.failures";
    /** The reason of a refused change: the web layer counts it under this tag. */
    public static final String FORBIDDEN = "forbidden";

    private final Counter missing;
    private final Counter malformed;
    private final Counter unknown;
    private final Counter expired;
    private final Counter forbidden;

    AuthFailures(MeterRegistry meters) {
        this.missing = counter(meters, "missing");
        this.malformed = counter(meters, "malformed");
        this.unknown = counter(meters, "unknown");
        this.expired = counter(meters, "expired");
        this.forbidden = counter(meters, FORBIDDEN);
    }

    /** The counter of one reason, registered with its description (also for callers outside this package). */
    public static Counter counter(MeterRegistry meters, String reason) {
        return Counter.builder(NAME).tag("reason", reason)
                .description("Refused calls by reason: missing, malformed, unknown or expired token (401);"
                        + " forbidden (403, the token's role, group scope or privileged-vars right refuses)")
                .register(meters);
    }

    /** Counts a 401 for {@code request}, failed with {@code e}. */
    void unauthenticated(HttpServletRequest request, AuthenticationException e) {
        String header = request.getHeader("Authorization");
        if (header == null) {
            missing.increment();
        } else if (e instanceof OAuth2AuthenticationException oauth
                && OAuth2ErrorCodes.INVALID_TOKEN.equals(oauth.getError().getErrorCode())) {
            (expired(e) ? expired : unknown).increment();
        } else {
            malformed.increment();
        }
    }

    void forbidden() {
        forbidden.increment();
    }

    private static boolean expired(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MirrorTokenIntrospector.ExpiredToken) {
                return true;
            }
        }
        return false;
    }
}
