package io.kook.web;

import java.io.IOException;

import io.kook.mirror.Mirror;
import io.kook.zookeeper.ZooKeeperConnection;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stamps every response, errors included, with the mirror's revision and, while reads may be behind
 * ZooKeeper, {@code X-Kook-Stale: true}. Handlers that pin a snapshot or commit a write overwrite the
 * revision with their own.
 */
class ReadHeadersFilter extends OncePerRequestFilter {

    static final String REVISION = "X-Kook-Revision";
    static final String STALE = "X-Kook-Stale";

    private final Mirror mirror;
    private final ZooKeeperConnection connection;

    ReadHeadersFilter(Mirror mirror, ZooKeeperConnection connection) {
        this.mirror = mirror;
        this.connection = connection;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(REVISION, Long.toString(mirror.snapshot().revision()));
        if (!connection.connected() || mirror.catchingUp()) {
            response.setHeader(STALE, "true");
        }
        chain.doFilter(request, response);
    }
}
