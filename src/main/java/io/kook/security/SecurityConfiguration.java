package io.kook.security;

import io.kook.KookProperties;
import io.kook.store.ChangePolicy;
import io.kook.store.ZkLayout;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Bearer tokens checked by Spring Security's resource server against {@link TokenStore}, and the role each endpoint
 * needs from {@link AccessRules}. Stateless: no session, no CSRF (no cookies are ever accepted), no login form.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    TokenStore tokenStore(CuratorFramework client, ZkLayout layout, KookProperties properties) {
        return new TokenStore(client, layout, properties.security());
    }

    @Bean
    MirrorTokenIntrospector tokenIntrospector(TokenStore tokens) {
        return new MirrorTokenIntrospector(tokens);
    }

    /** What the caller's token allows a planned change to do: stay inside its group scope, set privileged vars. */
    @Bean
    ChangePolicy callerPolicy(KookProperties properties) {
        GroupScope scope = new GroupScope();
        PrivilegedVars privileged = new PrivilegedVars(properties.security().privilegedVars());
        return change -> {
            scope.check(change);
            privileged.check(change);
        };
    }

    /**
     * Header values may carry UTF-8 text as clients send it (an {@code X-Kook-Reason} in any language, whose bytes
     * the container reads as ISO-8859-1 and the default firewall takes for control characters); real control
     * characters stay refused.
     */
    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderValues(value -> value.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f));
        return firewall;
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy("""
                ROLE_ADMIN > ROLE_WRITE
                ROLE_WRITE > ROLE_REGISTER
                ROLE_REGISTER > ROLE_READ
                """);
    }

    @Bean
    AuthFailures authFailures(MeterRegistry meters) {
        return new AuthFailures(meters);
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, KookProperties properties,
                                            MirrorTokenIntrospector introspector, AuthFailures failures) throws Exception {
        ProblemAuthenticationHandlers problems = new ProblemAuthenticationHandlers(failures);
        http.csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                // Kook's reads carry ETags and their own caching rules; Spring's no-store would defeat revalidation
                .headers(headers -> headers.cacheControl(cache -> cache.disable()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        if (!properties.security().enabled()) {
            log.warn("""

                    ********************************************************************************
                    *  kook.security.enabled=false: EVERY CALLER IS AN ANONYMOUS ADMIN.             *
                    *  Anyone who reaches this port can rewrite the inventory and, through Ansible  *
                    *  vars, run commands on every controller that reads it. For trying Kook only.  *
                    ********************************************************************************""");
            return http.anonymous(a -> a.principal(Caller.ANONYMOUS_ADMIN)
                            .authorities(Role.ADMIN.authority()))
                    .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                    .build();
        }
        http.oauth2ResourceServer(server -> server
                .opaqueToken(token -> token.introspector(introspector))
                .authenticationEntryPoint(problems)
                .accessDeniedHandler(problems));
        http.authorizeHttpRequests(a -> {
            // the REQUEST dispatch was authorized; its async completion and error rendering need no second check
            a.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll();
            a.requestMatchers(AccessRules.OPEN.toArray(String[]::new)).permitAll();
            for (AccessRules.Rule rule : AccessRules.RULES) {
                a.requestMatchers(rule.matcher()).hasRole(rule.role().name());
            }
            a.anyRequest().hasRole(AccessRules.OTHERWISE.name());
        });
        return http.build();
    }
}
