package io.kook.security;

import java.util.Locale;

/** What a token may do; each role includes the ones before it. */
public enum Role {
    READ, REGISTER, WRITE, ADMIN;

    /** The Spring Security authority this role grants (hierarchy: admin > write > register > read). */
    public String authority() {
        return "ROLE_" + name();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String wire) {
        for (Role role : values()) {
            if (role.wire().equals(wire)) {
                return role;
            }
        }
        return null;
    }
}
