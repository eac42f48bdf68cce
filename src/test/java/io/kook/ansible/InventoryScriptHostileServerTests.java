package io.kook.ansible;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the real inventory script with {@code python3} against small hostile or broken HTTP servers in this JVM:
 * whatever the server does, the script either prints a valid inventory with exit 0 or exactly one clean line
 * on stderr with exit 1 (no traceback, no terminal escapes), and never sends the token to another origin.
 */
class InventoryScriptHostileServerTests {

    private static final String TOKEN = "s3cret-kook-token";
    private static final String DOC = "{\"_meta\":{\"hostvars\":{\"web1\":{\"port\":8080}}},"
            + "\"all\":{\"children\":[\"ungrouped\",\"web\"]},\"ungrouped\":{\"hosts\":[]},"
            + "\"web\":{\"hosts\":[\"web1\"]}}";

    private final List<Closeable> resources = new CopyOnWriteArrayList<>();

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void requirePython() {
        boolean present = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            present |= Files.isExecutable(Path.of(dir, "python3"));
        }
        if ("true".equals(System.getenv("CI"))) {
            assertThat(present).as("python3 must be installed under CI").isTrue();
        }
        Assumptions.assumeTrue(present, "python3 is not installed");
    }

    @AfterEach
    void closeServers() throws IOException {
        for (Closeable c : resources) {
            c.close();
        }
    }

    // --- success -----------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void aValidInventoryIsPrintedAsSentWithExitZero(boolean gzip) throws Exception {
        String bigInteger = "9".repeat(5000); // more digits than Python converts by default; must stay exact
        String doc = "{\"_meta\":{\"hostvars\":{\"web1\":{\"port\":8080,\"big\":" + bigInteger
                + ",\"motd\":\"gr\u00fc\u00df dich\"}}},\"all\":{\"children\":[\"ungrouped\",\"web\"]},"
                + "\"ungrouped\":{\"hosts\":[]},\"web\":{\"hosts\":[\"web1\"],\"vars\":{\"x\":1.0}}}";
        List<String> authorizations = new CopyOnWriteArrayList<>();
        int port = http(ex -> {
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            byte[] body = doc.getBytes(StandardCharsets.UTF_8);
            if (gzip) {
                ex.getResponseHeaders().set("Content-Encoding", "gzip");
                body = gzip(body);
            }
            send(ex, 200, "application/json", body);
        });

        Run run = script(port, Map.of(), "--list");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo(doc + "\n");
        assertThat(authorizations).containsExactly("Bearer " + TOKEN);
    }

    @Test
    void hostAnswersTheHostsVars() throws Exception {
        List<String> paths = new CopyOnWriteArrayList<>();
        int port = http(ex -> {
            paths.add(ex.getRequestURI().getRawPath());
            send(ex, 200, "application/json", "{\"port\":8080}".getBytes(StandardCharsets.UTF_8));
        });

        Run run = script(port, Map.of(), "--host", "web1");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("{\"port\":8080}\n");
        assertThat(paths).containsExactly("/ansible/inventory/hosts/web1");
    }

    @Test
    void theProxyTheEnvironmentNamesIsUsed() throws Exception {
        List<String> requested = new CopyOnWriteArrayList<>();
        int proxy = http(ex -> {
            requested.add(ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Authorization"));
            send(ex, 200, "application/json", DOC.getBytes(StandardCharsets.UTF_8));
        });

        Run run = script(proxy, Map.of("KOOK_URL", "http://kook.invalid:8080", "http_proxy",
                "http://127.0.0.1:" + proxy), "--list");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(DOC + "\n");
        assertThat(requested).containsExactly("http://kook.invalid:8080/ansible/inventory Bearer " + TOKEN);
    }

    // --- redirects ---------------------------------------------------------------------------------------------

    @Test
    void aCrossOriginRedirectIsRefusedAndTheTokenNeverReachesTheOtherOrigin() throws Exception {
        List<String> otherAuthorizations = new CopyOnWriteArrayList<>();
        List<String> otherRequests = new CopyOnWriteArrayList<>();
        int other = http(ex -> {
            otherRequests.add(ex.getRequestURI().toString());
            String authorization = ex.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                otherAuthorizations.add(authorization);
            }
            send(ex, 200, "application/json", DOC.getBytes(StandardCharsets.UTF_8));
        });
        int kook = http(ex -> {
            ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + other + "/steal");
            send(ex, 302, "text/plain", new byte[0]);
        });

        Run run = script(kook, Map.of(), "--list");

        assertOneCleanFailure(run);
        assertThat(run.err()).contains("another origin");
        assertThat(otherAuthorizations).as("Authorization headers the other origin received").isEmpty();
        assertThat(otherRequests).as("the script does not follow a redirect to another origin").isEmpty();
    }

    @Test
    void aSameOriginRedirectIsFollowedWithTheToken() throws Exception {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        int port = http(ex -> {
            if (ex.getRequestURI().getPath().equals("/ansible/inventory")) {
                ex.getResponseHeaders().set("Location", "/v2/ansible/inventory");
                send(ex, 307, "text/plain", new byte[0]);
            } else {
                authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                send(ex, 200, "application/json", DOC.getBytes(StandardCharsets.UTF_8));
            }
        });

        Run run = script(port, Map.of(), "--list");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(DOC + "\n");
        assertThat(authorizations).containsExactly("Bearer " + TOKEN);
    }

    // --- size --------------------------------------------------------------------------------------------------

    /** A valid document padded with 32 MiB of JSON whitespace: 32 KiB gzipped, far past KOOK_MAX_BYTES. */
    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {true, false})
    void anAnswerLargerThanKookMaxBytesIsRefused(boolean gzip) throws Exception {
        ByteArrayOutputStream padded = new ByteArrayOutputStream();
        try (OutputStream out = gzip ? new GZIPOutputStream(padded) : padded) {
            out.write(DOC.getBytes(StandardCharsets.UTF_8));
            byte[] spaces = new byte[1 << 20];
            Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < (gzip ? 32 : 3); i++) {
                out.write(spaces);
            }
        }
        byte[] body = padded.toByteArray();
        int port = http(ex -> {
            if (gzip) {
                ex.getResponseHeaders().set("Content-Encoding", "gzip");
            }
            send(ex, 200, "application/json", body);
        });

        Run run = script(port, Map.of("KOOK_MAX_BYTES", String.valueOf(1 << 20)), "--list");

        assertOneCleanFailure(run);
        assertThat(run.err()).contains("KOOK_MAX_BYTES");
    }

    // --- time --------------------------------------------------------------------------------------------------

    /**
     * The server drips its answer at 1 byte/s for a minute, from the status line or from the body on. With
     * KOOK_TIMEOUT=2 the script must give up on its own long before: the generous 30 s bound on the wait proves
     * it did not stay for the whole drip.
     */
    @ParameterizedTest(name = "drip from the {0} on")
    @ValueSource(strings = {"status line", "body"})
    void kookTimeoutIsADeadlineForTheWholeAnswer(String from) throws Exception {
        String body = " ".repeat(60) + DOC;
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n";
        int port = raw(out -> {
            if (from.equals("body")) {
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            for (byte b : ((from.equals("body") ? "" : head) + body).getBytes(StandardCharsets.UTF_8)) {
                out.write(b);
                out.flush();
                Thread.sleep(1000);
            }
        });

        Run run = script(port, Map.of("KOOK_TIMEOUT", "2"), "--list");

        assertOneCleanFailure(run);
        assertThat(run.err()).contains("KOOK_TIMEOUT");
    }

    // --- broken bodies -----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not gzip at all", "corrupt deflate data", "truncated stream"})
    void badGzipIsOneLine(String how) throws Exception {
        byte[] good = gzip(DOC.getBytes(StandardCharsets.UTF_8));
        byte[] body = switch (how) {
            case "not gzip at all" -> DOC.getBytes(StandardCharsets.UTF_8);
            case "corrupt deflate data" -> {
                byte[] b = Arrays.copyOf(good, 40);
                Arrays.fill(b, 10, 40, (byte) 0xff); // a final block of the reserved type 3
                yield b;
            }
            default -> Arrays.copyOf(good, good.length - 8); // without CRC and length
        };
        int port = http(ex -> {
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
            send(ex, 200, "application/json", body);
        });

        Run run = script(port, Map.of(), "--list");

        assertOneCleanFailure(run);
        assertThat(run.err()).contains("gzip");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[", "{\"a\":"})
    void deeplyNestedJsonIsOneLine(String opening) throws Exception {
        byte[] body = opening.repeat(200_000).getBytes(StandardCharsets.UTF_8);
        int port = http(ex -> send(ex, 200, "application/json", body));

        Run run = script(port, Map.of(), "--list");

        assertOneCleanFailure(run);
        assertThat(run.err()).contains("nested too deeply");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Content-Length", "chunked"})
    void aShortReadIsOneLine(String framing) throws Exception {
        String part = "{\"_meta\":{\"hostvars\":{";
        int port = raw(out -> {
            String response = framing.equals("chunked")
                    ? "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(part.length()) + "\r\n" + part + "\r\n"
                    : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n" + part;
            out.write(response.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }); // then the server closes the connection

        Run run = script(port, Map.of(), "--list");

        assertOneCleanFailure(run);
        assertThat(run.err()).contains("closed before the end of its answer");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--list []", "--list \"inventory\"", "--list 42", "--list null", "--list true",
            "--list {\"all\":{\"hosts\":[\"web1\"]}}", "--list {\"_meta\":{\"hostvars\":{\"web1\":1}}}",
            "--list {\"_meta\":{\"hostvars\":{}},\"web\":[\"web1\"]}",
            "--list {\"_meta\":{\"hostvars\":{}},\"web\":{\"hosts\":\"web1\"}}",
            "--list {\"_meta\":{\"hostvars\":{}},\"web\":{\"hosts\":[1]}}",
            "--list {\"_meta\":{\"hostvars\":{}},\"web\":{\"vars\":[]}}",
            "--host []", "--host \"web1\"", "--host null"})
    void aDocumentOfTheWrongShapeIsRefused(String argAndBody) throws Exception {
        String arg = argAndBody.substring(0, argAndBody.indexOf(' '));
        byte[] body = argAndBody.substring(arg.length() + 1).getBytes(StandardCharsets.UTF_8);
        int port = http(ex -> send(ex, 200, "application/json", body));

        Run run = arg.equals("--host") ? script(port, Map.of(), "--host", "web1") : script(port, Map.of(), "--list");

        assertOneCleanFailure(run);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void theServersDetailIsPrintedWithoutEscapesAndBounded() throws Exception {
        String detail = "\u001b[2J\u001b]0;pwned\u0007boom\r\nkook-inventory: all is well\u202e\u0000" + "x".repeat(10_000);
        String problem = "{\"type\":\"about:blank\",\"status\":500,\"detail\":\"" + jsonEscape(detail) + "\"}";
        int port = http(ex -> send(ex, 500, "application/problem+json", problem.getBytes(StandardCharsets.UTF_8)));

        Run run = script(port, Map.of(), "--list");

        assertOneCleanFailure(run);
        assertThat(run.err()).contains("500").contains("boom");
        assertThat(run.err().length()).isLessThan(1000);
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static void assertOneCleanFailure(Run run) {
        assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.err()).as("stderr").startsWith("kook-inventory: ").endsWith("\n").doesNotContain("Traceback");
        String line = run.err().substring(0, run.err().length() - 1);
        assertThat(line.lines().count()).as("lines on stderr: %s", run.err()).isEqualTo(1);
        assertThat(line.codePoints().filter(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT))
                .as("control characters and escapes on stderr: %s", line).isEmpty();
    }

    private Run script(int port, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", AnsibleTool.SCRIPT.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("kook-inventory", ".out");
        Path err = Files.createTempFile("kook-inventory", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("KOOK_") || k.toLowerCase(Locale.ROOT).endsWith("_proxy"));
        Map<String, String> settings = new HashMap<>(Map.of("KOOK_URL", "http://127.0.0.1:" + port,
                "KOOK_TOKEN", TOKEN, "KOOK_TIMEOUT", "20"));
        settings.putAll(extraEnv);
        env.putAll(settings);
        Process p = pb.start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                fail("the script was still running after 30 s; stderr so far: " + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** An HTTP server on 127.0.0.1 answering every request with handler; closed after the test. */
    private int http(Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        HttpHandler h = exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                handler.handle(exchange);
            }
        };
        server.createContext("/", h);
        server.start();
        resources.add(() -> server.stop(0));
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }

    private interface Behaviour {
        void serve(OutputStream out) throws IOException, InterruptedException;
    }

    /** A bare TCP server that reads each request's head, writes whatever behaviour writes, then closes. */
    private int raw(Behaviour behaviour) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        resources.add(server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    resources.add(socket);
                    readHead(socket.getInputStream());
                    behaviour.serve(socket.getOutputStream());
                } catch (IOException | InterruptedException e) {
                    // the client went away, or the test is over
                }
            }
        }, "hostile-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return server.getLocalPort();
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
