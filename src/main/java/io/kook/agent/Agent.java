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
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
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
 */
public final class Agent implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AgentConfig config;
    private final CuratorFramework client;
    private final ZkLayout layout;
    private final ScheduledExecutorService scheduler;
    private final Map<String, PersistentNode> registered = new ConcurrentHashMap<>();

    Agent(AgentConfig config) {
        this.config = config;
        this.layout = new ZkLayout(config.root());
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(config.connectString())
                .sessionTimeoutMs((int) config.sessionTimeout().toMillis())
                .connectionTimeoutMs(Math.min(15_000, (int) config.sessionTimeout().toMillis()))
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000));
        if (config.user() != null) {
            builder.authorization("digest", (config.user() + ":" + config.password()).getBytes(StandardCharsets.UTF_8))
                    .aclProvider(new RegistrationAcls(layout));
        }
        this.client = builder.build();
        this.scheduler = Executors.newScheduledThreadPool(Math.max(1, config.checks().size()), r -> {
            Thread t = new Thread(r, "kook-agent-check");
            t.setDaemon(true);
            return t;
        });
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
        client.start();
        for (AgentConfig.Check check : config.checks()) {
            Names.requireHost("host", config.host());
            scheduler.scheduleWithFixedDelay(() -> run(check), 0, check.refresh().toMillis(), TimeUnit.MILLISECONDS);
        }
        log.info("op=agent.start host={} services={}", config.host(), config.checks().stream().map(AgentConfig.Check::service).toList());
    }

    private void run(AgentConfig.Check check) {
        boolean healthy = passes(check);
        String key = check.service() + "/" + check.port();
        PersistentNode node = registered.get(key);
        if (healthy && node == null) {
            String path = layout.registration(check.service(), config.host() + ":" + check.port());
            PersistentNode created = new PersistentNode(client, CreateMode.EPHEMERAL, false, path,
                    RegistrationCodec.encode(metadata(check), null, "agent"));
            created.start();
            registered.put(key, created);
            log.info("op=agent.register service={} instance={}:{}", check.service(), config.host(), check.port());
        } else if (!healthy && node != null) {
            registered.remove(key);
            closeQuietly(node);
            log.warn("op=agent.deregister service={} instance={}:{} reason=check-failed", check.service(),
                    config.host(), check.port());
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
        scheduler.shutdownNow();
        List<PersistentNode> nodes = new ArrayList<>(registered.values());
        registered.clear();
        nodes.forEach(Agent::closeQuietly);
        client.close();
    }

    private static void closeQuietly(PersistentNode node) {
        try {
            node.close();
        } catch (Exception e) {
            log.debug("op=agent.deregister outcome=failed reason=\"{}\"", e.toString());
        }
    }

    /** With digest credentials, a registration is writable only by its agent and readable by everyone. */
    private static final class RegistrationAcls implements ACLProvider {
        private final ZkLayout layout;

        RegistrationAcls(ZkLayout layout) {
            this.layout = layout;
        }

        @Override
        public List<ACL> getDefaultAcl() {
            return ZooDefs.Ids.OPEN_ACL_UNSAFE;
        }

        @Override
        public List<ACL> getAclForPath(String path) {
            if (layout.parse(path) instanceof ZkLayout.RegistrationNode) {
                List<ACL> acls = new ArrayList<>(ZooDefs.Ids.CREATOR_ALL_ACL);
                acls.addAll(ZooDefs.Ids.READ_ACL_UNSAFE);
                return acls;
            }
            return ZooDefs.Ids.OPEN_ACL_UNSAFE;
        }
    }
}
