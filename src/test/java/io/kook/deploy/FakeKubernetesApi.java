package io.kook.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Just enough of a Kubernetes API for Helm's {@code lookup} of Secrets while helm-java renders a chart: helm-java's
 * template runs an install dry run that, unlike {@code helm template}, asks the cluster. Secrets put here are
 * found ({@code lookup} sees them, as on an upgrade); any other is 404 ({@code lookup} gives an empty map, as on a
 * first install). Helm finds it through the kubeconfig named by {@code KUBECONFIG}, which the build sets for the
 * test JVM (pom.xml) and which {@link #start} writes.
 */
final class FakeKubernetesApi {

    private static final Map<String, Map<String, String>> SECRETS = new ConcurrentHashMap<>();
    private static volatile boolean started;

    private FakeKubernetesApi() {
    }

    /** Starts the API once per JVM and points {@code $KUBECONFIG} at it. */
    static synchronized void start() {
        if (started) {
            return;
        }
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null) {
            throw new IllegalStateException("KUBECONFIG is not set: run through Maven (pom.xml sets it for tests)");
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", FakeKubernetesApi::answer);
            server.start();
            Path file = Path.of(kubeconfig);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                      - name: fake
                        cluster:
                          server: http://127.0.0.1:%d
                    contexts:
                      - name: fake
                        context:
                          cluster: fake
                          user: fake
                    users:
                      - name: fake
                        user: {}
                    current-context: fake
                    """.formatted(server.getAddress().getPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        started = true;
    }

    /** Makes {@code lookup "v1" "Secret" namespace name} find a Secret with these (plain) values. */
    static void putSecret(String namespace, String name, Map<String, String> data) {
        SECRETS.put(namespace + "/" + name, Map.copyOf(data));
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String[] parts = path.split("/");
        if (path.equals("/api/v1")) {
            send(exchange, 200, """
                    {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
                      {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["get","list"]}]}""");
        } else if (parts.length == 7 && path.startsWith("/api/v1/namespaces/") && parts[5].equals("secrets")
                && SECRETS.containsKey(parts[4] + "/" + parts[6])) {
            StringBuilder data = new StringBuilder();
            SECRETS.get(parts[4] + "/" + parts[6]).forEach((key, value) -> data.append(data.isEmpty() ? "" : ",")
                    .append('"').append(key).append("\":\"")
                    .append(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))).append('"'));
            send(exchange, 200, """
                    {"kind":"Secret","apiVersion":"v1","metadata":{"name":"%s","namespace":"%s"},"type":"Opaque","data":{%s}}"""
                    .formatted(parts[6], parts[4], data));
        } else {
            send(exchange, 404, """
                    {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"not found"}""");
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
