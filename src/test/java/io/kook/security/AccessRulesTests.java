package io.kook.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.kook.support.KookTest;
import io.kook.support.KookTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Every endpoint the application maps has an access rule of its own: adding one without a rule fails here. */
@KookTest
class AccessRulesTests extends KookTestSupport {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyMappedEndpointIsOpenOrNamedByARuleOtherThanTheCatchAllForGets() {
        AccessRules.Rule everyGet = AccessRules.RULES.get(AccessRules.RULES.size() - 1);
        assertThat(everyGet.pattern()).isEqualTo("/**");
        List<String> unruled = new ArrayList<>();
        int checked = 0;
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (pattern.equals("/error")) {
                    continue; // error rendering: reached only by the container's ERROR dispatch
                }
                String path = pattern.replaceAll("\\{[^}]+}", "x");
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                    checked++;
                    MockHttpServletRequest request = new MockHttpServletRequest(method.name(), path);
                    if (path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui")) {
                        continue; // springdoc's own endpoints, open by contract
                    }
                    boolean ruled = AccessRules.RULES.stream().filter(rule -> rule != everyGet)
                            .anyMatch(rule -> rule.matcher().matches(request));
                    boolean aRead = HttpMethod.GET.matches(method.name());
                    if (!ruled && !aRead) {
                        unruled.add(method + " " + pattern);
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(25);
        assertThat(unruled).as("write endpoints without an access rule in AccessRules").isEmpty();
    }

    @Test
    void anImportThatReplacesNeedsAdminAndOneThatMergesNeedsWrite() {
        assertThat(roleFor("POST", "/ansible/inventory", "replace")).isEqualTo(Role.ADMIN);
        assertThat(roleFor("POST", "/ansible/inventory", "merge")).isEqualTo(Role.WRITE);
        assertThat(roleFor("POST", "/ansible/inventory", null)).isEqualTo(Role.WRITE);
        assertThat(roleFor("HEAD", "/hosts/a", null)).isEqualTo(Role.READ);
        assertThat(roleFor("GET", "/tokens/self", null)).isEqualTo(Role.READ);
        assertThat(roleFor("GET", "/tokens/x", null)).isEqualTo(Role.ADMIN);
        assertThat(roleFor("POST", "/changes/12/revert", null)).isEqualTo(Role.ADMIN);
        assertThat(roleFor("GET", "/changes/diff", null)).isEqualTo(Role.READ);
    }

    private static Role roleFor(String method, String path, String mode) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        if (mode != null) {
            request.setParameter("mode", mode);
        }
        return AccessRules.RULES.stream().filter(rule -> rule.matcher().matches(request)).findFirst()
                .map(AccessRules.Rule::role).orElse(AccessRules.OTHERWISE);
    }
}
