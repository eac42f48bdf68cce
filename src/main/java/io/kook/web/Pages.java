package io.kook.web;

import java.util.Collections;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.kook.inventory.KookException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Name-cursor pagination over a sorted list: {@code after} skips through that name, {@code limit} caps the
 * page, and {@code Link: <...>; rel="next"} is set while more remain.
 *
 * @param items the page
 * @param next  the {@code Link} header value, or {@code null} on the last page
 */
public record Pages(List<String> items, String next) {

    public static final int MAX_LIMIT = 100_000;

    /** A 200 with the page's items turned into views, and the {@code Link} header while more remain. */
    public <T> ResponseEntity<List<T>> respond(Function<String, T> view) {
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (next != null) {
            ok.header(HttpHeaders.LINK, next);
        }
        return ok.body(items.stream().map(view).toList());
    }

    public static Pages of(List<String> sorted, Integer limit, String after) {
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw KookException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        int from = 0;
        if (after != null) {
            int i = Collections.binarySearch(sorted, after);
            from = i >= 0 ? i + 1 : -i - 1;
        }
        int to = limit == null ? sorted.size() : (int) Math.min(sorted.size(), (long) from + limit);
        List<String> items = sorted.subList(from, to);
        String next = null;
        if (to < sorted.size() && !items.isEmpty()) {
            next = "<" + nextUri(items.get(items.size() - 1)) + ">; rel=\"next\"";
        }
        return new Pages(items, next);
    }

    /**
     * This request's URI with {@code after} replaced, every parameter form-encoded from its decoded value, so
     * values full of {@code "}, {@code +}, {@code &} or spaces (a filter, a pattern) come back exactly as sent.
     */
    private static String nextUri(String after) {
        HttpServletRequest request = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes())
                .getRequest();
        StringBuilder uri = new StringBuilder(ServletUriComponentsBuilder.fromCurrentRequestUri().replaceQuery(null)
                .build().encode().toUriString());
        char separator = '?';
        for (Map.Entry<String, String[]> e : request.getParameterMap().entrySet()) {
            if (e.getKey().equals("after")) {
                continue;
            }
            for (String value : e.getValue()) {
                uri.append(separator).append(form(e.getKey())).append('=').append(form(value));
                separator = '&';
            }
        }
        return uri.append(separator).append("after=").append(form(after)).toString();
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
