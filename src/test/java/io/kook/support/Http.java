package io.kook.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small blocking HTTP client for tests against a running Kook, one base URL per instance. */
public final class Http {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The bootstrap admin secret every test replica starts with (src/test/resources/config/application.properties). */
    public static final String ADMIN_SECRET = "test-bootstrap-secret-not-for-production";

    private final String base;
    private final String secret;

    public Http(int port) {
        this(port, ADMIN_SECRET);
    }

    private Http(int port, String secret) {
        this.base = "http://127.0.0.1:" + port;
        this.secret = secret;
    }

    /** The same replica called with another token's secret, or with none ({@code null}). */
    public Http as(String secret) {
        return new Http(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), secret);
    }

    /** A request a test builds by hand, with the admin bearer header. */
    public static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + ADMIN_SECRET);
    }

    public String base() {
        return base;
    }

    /** A response with its body parsed as JSON when it is JSON. */
    public record Response(int status, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String body() {
            return raw.body();
        }

        public JsonNode json() {
            return JSON.readTree(raw.body());
        }

        public long revision() {
            return Long.parseLong(header("X-Kook-Revision"));
        }

        public String contentType() {
            return header("Content-Type");
        }

        @Override
        public String toString() {
            return status + " " + raw.headers().map() + " " + raw.body();
        }
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }

    public Response delete(String path, String... headers) {
        return send("DELETE", path, null, null, headers);
    }

    public Response post(String path, String json, String... headers) {
        return send("POST", path, "application/json", json, headers);
    }

    public Response put(String path, String json, String... headers) {
        return send("PUT", path, json == null ? null : "application/json", json, headers);
    }

    public Response patch(String path, String json, String... headers) {
        return send("PATCH", path, "application/merge-patch+json", json, headers);
    }

    public Response send(String method, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        boolean authorization = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            authorization |= headers[i].equalsIgnoreCase("Authorization");
        }
        if (!authorization && secret != null) {
            request.header("Authorization", "Bearer " + secret);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** JSON from a map, for short test bodies. */
    public static String json(Map<String, ?> body) {
        return JSON.writeValueAsString(body);
    }
}
