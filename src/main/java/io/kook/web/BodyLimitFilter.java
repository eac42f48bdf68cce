package io.kook.web;

import java.io.IOException;

import io.kook.inventory.KookException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses request bodies over the limit with a 413 problem before they are buffered, whether or not the
 * client sent a {@code Content-Length}.
 */
class BodyLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final HandlerExceptionResolver resolver;
    private final String why;

    BodyLimitFilter(long maxBytes, HandlerExceptionResolver resolver) {
        this(maxBytes, resolver, "");
    }

    /** @param why said after the limit in the 413, e.g. how the limit was derived */
    BodyLimitFilter(long maxBytes, HandlerExceptionResolver resolver, String why) {
        this.maxBytes = maxBytes;
        this.resolver = resolver;
        this.why = why;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            resolver.resolveException(request, response, null, tooLarge());
            return;
        }
        chain.doFilter(new Limited(request, maxBytes), response);
    }

    private KookException.TooLarge tooLarge() {
        return new KookException.TooLarge("the request body is larger than " + maxBytes + " bytes" + why);
    }

    private final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) {
                        read += n;
                        if (read > limit) {
                            throw tooLarge();
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
