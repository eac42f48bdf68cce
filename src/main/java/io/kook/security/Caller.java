package io.kook.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;

/**
 * Who is calling: the token behind the request, or an anonymous admin when security is off. The principal of a
 * request authenticated by {@link MirrorTokenIntrospector}.
 */
public record Caller(String name, Role role, List<String> groups, boolean privilegedVars)
        implements OAuth2AuthenticatedPrincipal {

    public static final Caller ANONYMOUS_ADMIN = new Caller("anonymous", Role.ADMIN, List.of(), true);

    static Caller of(Token token) {
        return new Caller(token.name(), token.role(), token.groups(), token.privilegedVars());
    }

    /** Whether this caller may set vars that make Ansible run something on the controller. */
    public boolean mayWritePrivilegedVars() {
        return privilegedVars || role == Role.ADMIN;
    }

    /** The caller of the request this thread serves (an anonymous admin when none is authenticated). */
    public static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
            return caller;
        }
        return ANONYMOUS_ADMIN;
    }

    public boolean has(Role needed) {
        return role.compareTo(needed) >= 0;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Map<String, Object> getAttributes() {
        return Map.of("role", role.wire(), "groups", groups);
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(new SimpleGrantedAuthority(role.authority()));
    }
}
