package io.kook.web;

import java.io.IOException;
import java.util.Collections;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * An {@code Accept} header that does not parse cannot be negotiated at all, not even for the problem that says
 * so (Spring MVC then answers 406 with no body): it is refused here with a 406 problem naming the header.
 */
class AcceptHeaderFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (String accept : Collections.list(request.getHeaders(HttpHeaders.ACCEPT))) {
            try {
                MediaType.parseMediaTypes(accept);
            } catch (InvalidMediaTypeException e) {
                RawProblems.write(response, HttpServletResponse.SC_NOT_ACCEPTABLE, "the Accept header is not a valid"
                        + " list of media types; send for example Accept: application/json");
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
