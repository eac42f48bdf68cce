package io.kook.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's configuration, in zk_watcher's INI format: a {@code [main]} section for the connection, an
 * optional {@code [auth]} section with ZooKeeper digest credentials, an optional {@code [tls]} section for TLS to
 * ZooKeeper, and one section per watched service.
 *
 * <pre>
 * [main]
 * zookeeper: zk1:2181,zk2:2181,zk3:2181   # or env SPRING_CLOUD_ZOOKEEPER_CONNECT_STRING
 * root: /kook                             # Kook's kook.zookeeper.root
 * host: web1.example.com                  # default: this machine's canonical host name
 * session_timeout: 15                     # seconds; a dead agent's registrations vanish after this
 *
 * [auth]                                  # needed when Kook runs with kook.zookeeper.auth.*
 * user: agent                             # its digest id must be in Kook's kook.zookeeper.auth.agents
 * password: secret
 *
 * [tls]                                   # optional: TLS to ZooKeeper's secureClientPort
 * trust_store: /etc/kook/zk-truststore.p12
 * trust_store_password: changeit
 * key_store: /etc/kook/agent.p12          # when ZooKeeper asks for a client certificate
 * key_store_password: changeit
 * # key_store_type / trust_store_type: PKCS12, JKS or PEM (default: from the file name)
 *
 * [ssh]
 * cmd: systemctl is-active --quiet sshd   # exit 0 = healthy (run with sh -c)
 * refresh: 30                             # seconds between checks (and the check's timeout)
 * service_port: 22
 * service_name: ssh                       # default: the section name
 * metadata: {"zone": "eu-1"}              # optional JSON object (zookeeper_data is read as a synonym)
 * </pre>
 */
record AgentConfig(String connectString, String root, String host, Duration sessionTimeout, String user,
                   String password, Tls tls, List<Check> checks) {

    /** TLS to ZooKeeper; null in {@link AgentConfig} when the {@code [tls]} section is absent. */
    record Tls(String keyStore, String keyStorePassword, String keyStoreType, String trustStore,
               String trustStorePassword, String trustStoreType) {
        @Override
        public String toString() {
            return "Tls[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
        }
    }

    @Override
    public String toString() {
        return "AgentConfig[connectString=" + connectString + ", root=" + root + ", host=" + host + ", user=" + user
                + ", tls=" + tls + ", checks=" + checks + "]";
    }

    /** One watched service. */
    /** Registration metadata is bounded like vars (256 KiB): ZooKeeper holds every znode in memory. */
    static final int MAX_METADATA_CHARS = 256 * 1024;

    record Check(String service, String command, Duration refresh, int port, String metadata) {
    }

    static AgentConfig read(Path file) throws IOException {
        Map<String, Map<String, String>> sections = parse(Files.readAllLines(file));
        Map<String, String> main = sections.getOrDefault("main", Map.of());
        Map<String, String> auth = sections.getOrDefault("auth", Map.of());
        Map<String, String> tls = sections.get("tls");
        if ((auth.get("user") == null) != (auth.get("password") == null)) {
            throw new IllegalArgumentException(file + ": [auth] needs both user and password");
        }
        String connect = main.getOrDefault("zookeeper", System.getenv("SPRING_CLOUD_ZOOKEEPER_CONNECT_STRING"));
        if (connect == null || connect.isBlank()) {
            throw new IllegalArgumentException(file + ": [main] zookeeper (or SPRING_CLOUD_ZOOKEEPER_CONNECT_STRING) is required");
        }
        String host = main.getOrDefault("host", InetAddress.getLocalHost().getCanonicalHostName());
        List<Check> checks = new ArrayList<>();
        sections.forEach((name, values) -> {
            if (name.equals("main") || name.equals("auth") || name.equals("tls")) {
                return;
            }
            String cmd = values.get("cmd");
            String port = values.get("service_port");
            if (cmd == null || port == null) {
                throw new IllegalArgumentException(file + ": [" + name + "] needs cmd and service_port");
            }
            String metadata = values.getOrDefault("metadata", values.get("zookeeper_data"));
            if (metadata != null && metadata.length() > MAX_METADATA_CHARS) {
                throw new IllegalArgumentException(file + ": [" + name + "] metadata is over 256 KiB, the limit of"
                        + " registration metadata (as of vars)");
            }
            checks.add(new Check(values.getOrDefault("service_name", name), cmd,
                    Duration.ofSeconds(Long.parseLong(values.getOrDefault("refresh", "30"))), Integer.parseInt(port),
                    metadata));
        });
        return new AgentConfig(connect, main.getOrDefault("root", "/kook"), host,
                Duration.ofSeconds(Long.parseLong(main.getOrDefault("session_timeout", "15"))),
                auth.get("user"), auth.get("password"), tls == null ? null : new Tls(tls.get("key_store"),
                        tls.get("key_store_password"), tls.get("key_store_type"), tls.get("trust_store"),
                        tls.get("trust_store_password"), tls.get("trust_store_type")), checks);
    }

    private static Map<String, Map<String, String>> parse(List<String> lines) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1).strip(), k -> new LinkedHashMap<>());
                continue;
            }
            int sep = indexOfSeparator(line);
            if (current == null || sep < 0) {
                throw new IllegalArgumentException("cannot read agent config line: " + raw);
            }
            String value = line.substring(sep + 1).strip();
            int comment = value.indexOf(" #");
            current.put(line.substring(0, sep).strip(), comment >= 0 ? value.substring(0, comment).strip() : value);
        }
        return sections;
    }

    private static int indexOfSeparator(String line) {
        int colon = line.indexOf(':');
        int equals = line.indexOf('=');
        if (colon < 0) {
            return equals;
        }
        return equals < 0 ? colon : Math.min(colon, equals);
    }
}
