package io.kook.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problem documents written straight to a response, for the places that answer before Spring MVC can (a
 * filter that refuses a header no converter could negotiate around, the servlet container's own errors).
 */
public final class RawProblems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RawProblems() {
    }

    static byte[] body(int status, String detail, String instance) {
        HttpStatus known = HttpStatus.resolve(status);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", Problems.BASE + Problems.slugFor(status));
        problem.put("title", known == null ? "Error" : known.getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", Problems.scrub(detail));
        if (instance != null) {
            problem.put("instance", instance);
        }
        return JSON.writeValueAsBytes(problem);
    }

    public static void write(HttpServletResponse response, int status, String detail) throws IOException {
        byte[] body = body(status, detail, null);
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
