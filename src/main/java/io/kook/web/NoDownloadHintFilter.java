package io.kook.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps Spring MVC's reflected-file-download guard off Kook's answers. The guard adds
 * {@code Content-Disposition: inline;filename=f.txt} to every 2xx body whose last path segment ends in an
 * extension it does not know, so {@code GET /hosts/x.com} or {@code /groups/eu.prod} would tell a browser or
 * {@code curl -OJ} to save a file named f.txt. Spring offers no switch for it (the check is private to its body
 * writer, and the extensions it accepts are a fixed list), and no list of known extensions could cover host names.
 * <p>
 * Kook does not need it: a reflected file download relies on the browser taking the type of a body from the URL.
 * Every Kook handler fixes its content type itself ({@code produces}: JSON, problem JSON, YAML, INI as text/plain,
 * the gzip tarball), never from the path, and Spring Security sends {@code X-Content-Type-Options: nosniff} with
 * every answer. So this filter drops exactly that header value, and nothing else; a {@code Content-Disposition}
 * Kook sets itself is kept.
 */
class NoDownloadHintFilter extends OncePerRequestFilter {

    /** The value Spring MVC's guard writes (AbstractMessageConverterMethodProcessor). */
    static final String GUARD_VALUE = "inline;filename=f.txt";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setHeader(String name, String value) {
                if (!isGuard(name, value)) {
                    super.setHeader(name, value);
                }
            }

            @Override
            public void addHeader(String name, String value) {
                if (!isGuard(name, value)) {
                    super.addHeader(name, value);
                }
            }
        });
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    private static boolean isGuard(String name, String value) {
        return HttpHeaders.CONTENT_DISPOSITION.equalsIgnoreCase(name) && GUARD_VALUE.equals(value);
    }
}
