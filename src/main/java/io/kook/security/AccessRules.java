package io.kook.security;

import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Which role each endpoint needs, first match wins. {@code role == null} means open without a token. Every GET
 * needs {@code read} (the last GET rule); a write endpoint without its own rule falls to the admin-only catch-all,
 * and {@code AccessRulesTests} fails for it.
 */
public final class AccessRules {

    /** @param method null for any; GET rules also cover HEAD. @param mode the {@code mode} query parameter, or null */
    public record Rule(HttpMethod method, String pattern, String mode, Role role) {
        RequestMatcher matcher() {
            PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
            RequestMatcher path = method == null ? paths.matcher(pattern) : paths.matcher(method, pattern);
            RequestMatcher head = HttpMethod.GET.equals(method) ? paths.matcher(HttpMethod.HEAD, pattern) : null;
            return request -> (path.matches(request) || (head != null && head.matches(request)))
                    && (mode == null || mode.equals(request.getParameter("mode")));
        }
    }

    public static final List<String> OPEN = List.of("/actuator/health", "/actuator/health/**", "/v3/api-docs",
            "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/ansible/kook-inventory.py",
            "/ansible/kook-kook.tar.gz");

    public static final List<Rule> RULES = List.of(
            new Rule(HttpMethod.GET, "/tokens/self", null, Role.READ),
            new Rule(null, "/tokens", null, Role.ADMIN),
            new Rule(null, "/tokens/**", null, Role.ADMIN),
            new Rule(HttpMethod.PUT, "/services/*/instances/*", null, Role.REGISTER),
            new Rule(HttpMethod.DELETE, "/services/*/instances/*", null, Role.REGISTER),
            new Rule(HttpMethod.POST, "/changes/*/revert", null, Role.ADMIN),
            new Rule(HttpMethod.POST, "/ansible/inventory", "replace", Role.ADMIN),
            new Rule(HttpMethod.POST, "/ansible/inventory", null, Role.WRITE),
            new Rule(HttpMethod.POST, "/hosts", null, Role.WRITE),
            new Rule(HttpMethod.PUT, "/hosts/*", null, Role.WRITE),
            new Rule(HttpMethod.PATCH, "/hosts/*", null, Role.WRITE),
            new Rule(HttpMethod.DELETE, "/hosts/*", null, Role.WRITE),
            new Rule(HttpMethod.POST, "/groups", null, Role.WRITE),
            new Rule(HttpMethod.PUT, "/groups/**", null, Role.WRITE),
            new Rule(HttpMethod.PATCH, "/groups/*", null, Role.WRITE),
            new Rule(HttpMethod.DELETE, "/groups/**", null, Role.WRITE),
            new Rule(HttpMethod.GET, "/**", null, Role.READ));

    /** Whatever no rule names: only an admin gets past it, to learn the path does not exist. */
    public static final Role OTHERWISE = Role.ADMIN;

    private AccessRules() {
    }
}
