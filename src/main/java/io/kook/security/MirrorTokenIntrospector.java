package io.kook.security;

import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/** Resolves a bearer secret against the in-memory token mirror: no ZooKeeper read and no slow hash per request. */
class MirrorTokenIntrospector implements OpaqueTokenIntrospector {

    private final TokenStore tokens;

    MirrorTokenIntrospector(TokenStore tokens) {
        this.tokens = tokens;
    }

    @Override
    public OAuth2AuthenticatedPrincipal introspect(String secret) {
        Token token = tokens.authenticate(secret);
        if (token == null) {
            // a second hash only on the failure path, to tell the two apart in kook.auth.failures
            throw tokens.exists(secret) ? new ExpiredToken() : new BadOpaqueTokenException("unknown, expired or revoked token");
        }
        return Caller.of(token);
    }

    /** The secret of a token past its expiry: answered like an unknown one, counted apart. */
    static final class ExpiredToken extends BadOpaqueTokenException {
        ExpiredToken() {
            super("unknown, expired or revoked token");
        }
    }
}
