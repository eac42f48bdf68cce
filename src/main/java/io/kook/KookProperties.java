package io.kook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every Kook setting, under {@code kook.*}. Connection settings stay with Spring Cloud Zookeeper
 * ({@code spring.cloud.zookeeper.*}); this record holds only what Kook itself decides.
 *
 * @param zookeeper where Kook keeps its tree and how it runs its embedded server
 * @param mirror    how reads wait for the in-memory mirror
 * @param writes    how writes lock, retry and give up
 * @param limits    request size limits
 * @param watch     blocking queries and the event stream
 * @param services  live registrations of service instances
 * @param hooks     what the elected replica runs when the inventory changes
 * @param imports   batched imports (inventories too big for one ZooKeeper request)
 * @param security  bearer tokens and roles
 * @param history   change records: reasons, retention
 */
@ConfigurationProperties("kook")
public record KookProperties(
        @DefaultValue Zookeeper zookeeper,
        @DefaultValue Mirror mirror,
        @DefaultValue Writes writes,
        @DefaultValue Limits limits,
        @DefaultValue Watch watch,
        @DefaultValue Services services,
        @DefaultValue Hooks hooks,
        @DefaultValue Imports imports,
        @DefaultValue Security security,
        @DefaultValue History history) {

    /**
     * @param requireReason whether every recorded write must say why ({@code X-Kook-Reason}); 400 without one
     * @param retention     change records kept; older ones are compacted away (reads before them answer 410)
     * @param maxAge        longest a change record is kept, by ZooKeeper's time
     * @param compactInterval how often the elected replica deletes records past retention or age
     */
    public record History(@DefaultValue("false") boolean requireReason, @DefaultValue("100000") int retention,
                          @DefaultValue("90d") Duration maxAge, @DefaultValue("1m") Duration compactInterval) {
    }

    /**
     * @param enabled            whether requests need a bearer token; {@code false} makes every caller an anonymous admin
     * @param bootstrapToken     secret of the admin token {@code bootstrap} created when no token exists (else random)
     * @param bootstrapTokenFile where a random bootstrap secret is written (mode 0600), never logged
     * @param privilegedVars     var names that make Ansible run something on the controller: only an admin token, or
     *                           one created with {@code "privilegedVars": true}, may set them (so may any Jinja marker)
     */
    public record Security(@DefaultValue("true") boolean enabled, String bootstrapToken,
                           @DefaultValue("./data/bootstrap-token") Path bootstrapTokenFile,
                           @DefaultValue({"ansible_connection", "ansible_ssh_common_args", "ansible_ssh_extra_args",
                                   "ansible_scp_extra_args", "ansible_sftp_extra_args", "ansible_ssh_executable",
                                   "ansible_python_interpreter", "ansible_shell_executable", "ansible_become_exe"})
                           List<String> privilegedVars) {
        @Override
        public String toString() {
            return "Security[enabled=" + enabled + ", bootstrapTokenFile=" + bootstrapTokenFile + "]";
        }
    }

    /**
     * @param lease how long a batched import may leave the import guard unchanged; every batch renews it, and a
     *              replica that sees the same guard version for longer (by its own monotonic clock) closes the
     *              guard as abandoned. Keep it well above the time one batch (under 1 MB) takes.
     */
    public record Imports(@DefaultValue("60s") Duration lease) {
    }

    /**
     * @param debounce        quiet time after a change before hooks run (changes meanwhile restart it)
     * @param webhooks        URLs that get a POST of {digest, fromRevision, toRevision} when the inventory changed,
     *                        signed with each one's secret ({@code X-Kook-Signature})
     * @param commands        local commands run with KOOK_DIGEST, KOOK_REVISION, KOOK_FROM_REVISION in the environment
     * @param commandsEnabled whether {@code commands} may run at all (off by default: configuration only, never the API)
     * @param maxAttempts     tries per hook before its run is marked failed
     * @param backoff         wait before the second try; doubles for each further try, and for each retry of a failed run
     * @param maxBackoff      longest wait before a failed run is retried (it is retried until it succeeds or is superseded)
     * @param timeout         longest a webhook's POST may take, answer included
     */
    public record Hooks(@DefaultValue("5s") Duration debounce, List<Webhook> webhooks, List<Command> commands,
                        @DefaultValue("false") boolean commandsEnabled, @DefaultValue("5") int maxAttempts,
                        @DefaultValue("1s") Duration backoff, @DefaultValue("5m") Duration maxBackoff,
                        @DefaultValue("10s") Duration timeout) {
        public Hooks {
            webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
            commands = commands == null ? List.of() : List.copyOf(commands);
        }
    }

    /**
     * A webhook. Every POST is signed ({@code X-Kook-Signature: sha256=<hex HMAC-SHA256 of the raw body>}) with
     * {@code secret}, so a receiver can tell Kook's calls from anyone else's. A webhook without a secret is
     * refused at startup unless it says {@code unsigned: true} (then its POSTs carry no signature and startup
     * logs a warning): an unsigned hook is a decision, never an oversight.
     *
     * @param name     shown in {@code GET /hooks}
     * @param url      where the POST goes
     * @param secret   HMAC key of the signature; never logged, never shown
     * @param unsigned sends POSTs without a signature; only when no secret is set
     */
    public record Webhook(String name, java.net.URI url, String secret, @DefaultValue("false") boolean unsigned) {
        public Webhook {
            boolean hasSecret = secret != null && !secret.isBlank();
            if (!hasSecret && !unsigned) {
                throw new IllegalArgumentException("webhook '" + name + "' has no secret: set kook.hooks.webhooks[n].secret"
                        + " (its POSTs are signed with it), or unsigned: true to send them unsigned");
            }
            if (hasSecret && unsigned) {
                throw new IllegalArgumentException("webhook '" + name + "' sets both a secret and unsigned: true; keep one");
            }
        }

        public boolean signed() {
            return !unsigned;
        }

        @Override
        public String toString() {
            return "Webhook[name=" + name + ", url=" + url + ", signed=" + signed() + "]";
        }
    }

    /** @param name shown in {@code GET /hooks}; @param command run with {@code sh -c} */
    public record Command(String name, String command) {
    }

    /**
     * @param defaultTtl          TTL of an HTTP registration that names none
     * @param maxTtl              longest TTL an HTTP registration may ask for
     * @param reapInterval        how often each replica deletes lapsed HTTP registrations
     * @param includeUnknownHosts whether registrations of hosts the inventory does not know appear in it
     */
    public record Services(@DefaultValue("30s") Duration defaultTtl, @DefaultValue("24h") Duration maxTtl,
                           @DefaultValue("1s") Duration reapInterval,
                           @DefaultValue("false") boolean includeUnknownHosts) {
    }

    /**
     * @param maxWait   longest a blocking read ({@code ?index=N&wait=D}) is held; also the default wait
     * @param retained  revisions {@code GET /events} keeps for {@code Last-Event-ID} resumption
     * @param heartbeat how often an idle event stream gets a comment line, so dead clients are noticed
     * @param clientBacklog events queued for one {@code /events} client that is not reading before it is sent
     *                  {@code event: reset} and dropped (entries are shared, so this bounds references, not copies)
     */
    public record Watch(@DefaultValue("5m") Duration maxWait, @DefaultValue("10000") int retained,
                        @DefaultValue("15s") Duration heartbeat, @DefaultValue("10000") int clientBacklog) {
    }

    /**
     * @param root     the znode under which Kook keeps everything; two deployments may share an ensemble with different roots
     * @param embedded the in-process server started when {@code spring.cloud.zookeeper.connect-string} is not set
     * @param auth     digest credentials and ACLs (none: every node open, as ZooKeeper's default)
     * @param tls      TLS to ZooKeeper
     */
    public record Zookeeper(@DefaultValue("/kook") String root, @DefaultValue Embedded embedded,
                            @DefaultValue Auth auth, @DefaultValue Tls tls) {
    }

    /**
     * @param username Kook's ZooKeeper digest user; with {@code password} set, every znode Kook creates under its root
     *                 is accessible to this identity only
     * @param password Kook's ZooKeeper digest password (never logged)
     * @param agents   digest ids {@code name:base64(sha1(name:password))} of the agents that may add registrations
     */
    public record Auth(String username, String password, List<String> agents) {
        public Auth {
            agents = agents == null ? List.of() : List.copyOf(agents);
            if ((username == null || username.isBlank()) != (password == null || password.isEmpty())) {
                throw new IllegalArgumentException("kook.zookeeper.auth.username and .password go together: set both or neither");
            }
        }

        public boolean enabled() {
            return username != null && !username.isBlank();
        }

        @Override
        public String toString() {
            return "Auth[username=" + username + ", password=" + (password == null ? "none" : "******")
                    + ", agents=" + agents.size() + "]";
        }
    }

    /**
     * @param enabled            whether Kook talks TLS to ZooKeeper (the ensemble's {@code secureClientPort})
     * @param keyStoreLocation   client key store (certificate ZooKeeper may require), a file path; optional
     * @param keyStorePassword   its password
     * @param keyStoreType       PKCS12, JKS or PEM; by default guessed from the file name
     * @param trustStoreLocation trust store with the CA that signed ZooKeeper's certificate, a file path
     * @param trustStorePassword its password
     * @param trustStoreType     PKCS12, JKS or PEM; by default guessed from the file name
     */
    public record Tls(@DefaultValue("false") boolean enabled, String keyStoreLocation, String keyStorePassword,
                      String keyStoreType, String trustStoreLocation, String trustStorePassword, String trustStoreType) {
        @Override
        public String toString() {
            return "Tls[enabled=" + enabled + ", keyStoreLocation=" + keyStoreLocation + ", trustStoreLocation="
                    + trustStoreLocation + "]";
        }
    }

    /**
     * @param port    client port of the embedded server
     * @param dataDir where the embedded server keeps snapshots and transaction logs, kept across restarts
     */
    public record Embedded(@DefaultValue("2181") int port, @DefaultValue("./data/zookeeper") Path dataDir) {
    }

    /**
     * @param maxRevisionWait longest a read with {@code minRevision} waits for the mirror before answering 503
     * @param primeConcurrency ZooKeeper requests in flight while the mirror loads the tree (a child listing, or
     *                         the data of up to 200 nodes)
     */
    public record Mirror(@DefaultValue("10s") Duration maxRevisionWait, @DefaultValue("512") int primeConcurrency) {
    }

    /**
     * @param lockTimeout longest a write waits for its Curator lock before answering 503
     * @param deadline    longest a write may take in all, including settling an unknown outcome (then 504)
     * @param maxAttempts commits tried when another replica's write got in first
     * @param retryAfter  the {@code Retry-After} given with 503 answers
     * @param tombstoneRetention how long a deleted entity's tombstone is kept; a write planned on a mirror older
     *                    than this could not tell the entity from a re-created one of the same name
     */
    public record Writes(@DefaultValue("5s") Duration lockTimeout, @DefaultValue("10s") Duration deadline,
                         @DefaultValue("20") int maxAttempts, @DefaultValue("2s") Duration retryAfter,
                         @DefaultValue("1h") Duration tombstoneRetention) {
    }

    /**
     * @param maxVarsSize largest serialized {@code vars} of one host or group (contract: 256 KiB)
     * @param maxBodySize largest request body accepted on the entity endpoints
     * @param maxImportSize largest inventory file accepted by an import
     * @param importHeapShare share of the maximum heap one import may use while it is parsed and planned; the
     *                        import size limit is the smaller of {@code maxImportSize} and what that share holds
     */
    public record Limits(@DefaultValue("256KB") DataSize maxVarsSize, @DefaultValue("2MB") DataSize maxBodySize,
                         @DefaultValue("256MB") DataSize maxImportSize, @DefaultValue("0.25") double importHeapShare) {

        /**
         * Heap bytes an import takes per byte of source at its peak: the body, its decoded UTF-16 text (2x), its
         * lines (2x again), the parsed JSON trees of hosts and vars, the plan and the serialized writes. An
         * estimate of that sum for small-line INI files, the worst case; refine with a heap measurement.
         */
        static final int IMPORT_HEAP_PER_BYTE = 24;

        /** The largest import this replica's heap can parse: a 100 MB file under a 1 GB heap fails with 413, not OOM. */
        public long importLimit() {
            long byHeap = (long) (Runtime.getRuntime().maxMemory() * importHeapShare / IMPORT_HEAP_PER_BYTE);
            return Math.max(1, Math.min(maxImportSize.toBytes(), byHeap));
        }
    }
}
