package io.kook.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

import io.kook.inventory.KookException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Writes take only the query parameters their handler declares, each at most once: {@code dryrun=true} (a
 * typo) or {@code dryRun=false&dryRun=true} must not silently become a real write, so either is a 400 naming
 * the parameter and nothing is written. Reads stay lenient (caches and proxies add parameters to GETs).
 */
class WriteParametersInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")
                || !(handler instanceof HandlerMethod handlerMethod) || request.getQueryString() == null) {
            return true;
        }
        Set<String> allowed = new TreeSet<>();
        for (MethodParameter parameter : handlerMethod.getMethodParameters()) {
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param != null) {
                String name = !param.name().isEmpty() ? param.name() : parameter.getParameterName();
                if (name != null) {
                    allowed.add(name);
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (String pair : request.getQueryString().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (!allowed.contains(name)) {
                throw KookException.invalid(name, "unknown query parameter; "
                        + (allowed.isEmpty() ? "this call takes none" : "this call takes: " + String.join(", ", allowed)));
            }
            if (!seen.add(name)) {
                throw KookException.invalid(name, "query parameter given more than once; give it once");
            }
        }
        return true;
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw KookException.invalid("query", "is not valid percent-encoding");
        }
    }
}
