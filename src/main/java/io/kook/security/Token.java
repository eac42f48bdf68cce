package io.kook.security;

import java.time.Instant;
import java.util.List;

/**
 * A bearer token as stored in ZooKeeper: everything but the secret, of which only the SHA-256 is kept (secrets are
 * 256 random bits, so a fast hash is as strong as a slow one and costs nothing per request).
 */
public record Token(String name, Role role, List<String> groups, boolean privilegedVars, Instant expiresAt,
                    String description, Instant createdAt, String createdBy, String secretHash) {

    public Token {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
