package io.kook.agent;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.kook.inventory.Names;
import io.kook.store.RegistrationCodec;
import io.kook.store.ZkLayout;
import io.kook.zookeeper.ZooKeeperTls;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kook's registration agent (the jar run as {@code java -jar kook.jar agent --config agent.ini}, no web server),
 * after zk_watcher: for each configured service it runs the health check every {@code refresh} seconds and
 * keeps an ephemeral znode {@code <root>/inventory/services/<service>/<host>:<port>} while the check passes
 * (Curator's {@link PersistentNode}, which re-creates it after a reconnection or a new session), removes it
 * when the check fails, and leaves it to vanish with the session when the agent dies.
 *
 * <p>Each registration has a ZooKeeper session of its own, and deregistering ends that session: the server
 * removes an ephemeral node with its session whatever the ACLs say, so an agent needs no DELETE right on the
 * registration containers, a right ZooKeeper could only grant over every agent's registrations at once.
 */
public final class Agent implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AgentConfig config;
    private final ZkLayout layout;
    private final AgentAcls acls;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Registration> registered = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One registration: its node and the session that owns it. */
    private record Registration(CuratorFramework session, PersistentNode node) {
    }

    Agent(AgentConfig config) {
        this.config = config;
        this.layout = new ZkLayout(config.root());
        this.acls = config.user() == null ? null : new AgentAcls(layout, config.user(), config.password());
        this.scheduler = Executors.newScheduledThreadPool(Math.max(1, config.checks().size()), r -> {
            Thread t = new Thread(r, "kook-agent-check");
            t.setDaemon(true);
            return t;
        });
    }

    private CuratorFramework newSession() {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(config.connectString())
                .sessionTimeoutMs((int) config.sessionTimeout().toMillis())
                .connectionTimeoutMs(Math.min(15_000, (int) config.sessionTimeout().toMillis()))
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000));
        if (acls != null) {
            builder.authorization("digest", (config.user() + ":" + config.password()).getBytes(StandardCharsets.UTF_8))
                    .aclProvider(acls);
        }
        AgentConfig.Tls tls = config.tls();
        if (tls != null) {
            builder.zkClientConfig(ZooKeeperTls.clientConfig(tls.keyStore(), tls.keyStorePassword(), tls.keyStoreType(),
                    tls.trustStore(), tls.trustStorePassword(), tls.trustStoreType()));
        }
        return builder.build();
    }

    public static void main(String[] args) throws Exception {
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                config = Path.of(args[++i]);
            }
        }
        if (config == null) {
            System.err.println("usage: java -jar kook.jar agent --config /etc/kook/agent.ini");
            System.exit(2);
        }
        quietLogging();
        Agent agent = new Agent(AgentConfig.read(config));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "kook-agent-shutdown"));
        agent.start();
        stopped.await();
    }

    /** Without Spring Boot's logging set-up Logback logs everything at DEBUG; the agent wants INFO, ZooKeeper WARN. */
    private static void quietLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
            context.getLogger("org.apache.zookeeper").setLevel(ch.qos.logback.classic.Level.WARN);
            context.getLogger("org.apache.curator").setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    public void start() {
        for (AgentConfig.Check check : config.checks()) {
            Names.requireHost("host", config.host());
            scheduler.scheduleWithFixedDelay(() -> run(check), 0, check.refresh().toMillis(), TimeUnit.MILLISECONDS);
        }
        log.info("op=agent.start host={} services={}", config.host(), config.checks().stream().map(AgentConfig.Check::service).toList());
    }

    private void run(AgentConfig.Check check) {
        boolean healthy = passes(check);
        String key = check.service() + "/" + check.port();
        Registration current = registered.get(key);
        if (healthy && current == null && !closed) {
            Registration created = register(check);
            if (created != null) {
                registered.put(key, created);
                if (closed && registered.remove(key) != null) {
                    end(created);
                    return;
                }
                log.info("op=agent.register service={} instance={}:{}", check.service(), config.host(), check.port());
            }
        } else if (!healthy && current != null) {
            registered.remove(key);
            end(current);
            log.warn("op=agent.deregister service={} instance={}:{} reason=check-failed", check.service(),
                    config.host(), check.port());
        }
    }

    /** Opens the registration's session and starts its node; null (and logged) when ZooKeeper refuses. */
    private Registration register(AgentConfig.Check check) {
        String path = layout.registration(check.service(), config.host() + ":" + check.port());
        CuratorFramework session = newSession();
        try {
            session.start();
            if (!session.blockUntilConnected((int) config.sessionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("could not connect to ZooKeeper at " + config.connectString());
            }
            if (acls != null) {
                acls.load(session);
            }
            PersistentNode node = new PersistentNode(session, CreateMode.EPHEMERAL, false, path,
                    RegistrationCodec.encode(metadata(check), null, "agent"));
            node.start();
            return new Registration(session, node);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            session.close();
            log.error("op=agent.register service={} outcome=failed reason=\"{}\"", check.service(),
                    e instanceof KeeperException.NoAuthException
                            ? "Kook's ZooKeeper ACLs do not admit this agent: add its digest id to kook.zookeeper.auth.agents"
                            : e.toString());
            return null;
        }
    }

    private static boolean passes(AgentConfig.Check check) {
        try {
            Process p = new ProcessBuilder("sh", "-c", check.command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(Math.max(1, check.refresh().toSeconds()), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (Exception e) {
            Thread.interrupted();
            return false;
        }
    }

    private static ObjectNode metadata(AgentConfig.Check check) {
        if (check.metadata() == null || check.metadata().isBlank()) {
            return null;
        }
        return JSON.readTree(check.metadata()) instanceof ObjectNode o ? o : null;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        List<Registration> all = new ArrayList<>(registered.values());
        registered.clear();
        all.forEach(Agent::end);
    }

    /** Stops re-creating the node and ends its session, which removes the ephemeral node. */
    private static void end(Registration registration) {
        try {
            registration.node().close();
        } catch (Exception e) {
            // without DELETE on the container the node's own delete is refused; the session's end removes it
            log.debug("op=agent.deregister step=delete outcome=failed reason=\"{}\"", e.toString());
        }
        registration.session().close();
    }
}
