package io.kook.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.kook.KookProperties;
import io.kook.inventory.KookException;
import io.kook.store.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tokens, mirrored from ZooKeeper by a watch-driven {@link CuratorCache}: a request is checked against memory
 * (no ZooKeeper read per request), and a token deleted on any replica is refused on every replica as soon as the
 * deletion's watch event arrives. Creates the {@code bootstrap} admin token when the tree has none.
 */
public class TokenStore implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TokenStore.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String BOOTSTRAP = "bootstrap";

    private final CuratorFramework client;
    private final ZkLayout layout;
    private final KookProperties.Security properties;
    private final Map<String, Token> byHash = new ConcurrentHashMap<>();
    private final Map<String, Token> byName = new ConcurrentHashMap<>();
    private final CountDownLatch initialized = new CountDownLatch(1);
    private volatile CuratorCache cache;

    public TokenStore(CuratorFramework client, ZkLayout layout, KookProperties.Security properties) {
        this.client = client;
        this.layout = layout;
        this.properties = properties;
    }

    /** The unexpired token with this secret, or null. */
    public Token authenticate(String secret) {
        Token token = byHash.get(Secrets.hash(secret));
        return token == null || token.expired(Instant.now()) ? null : token;
    }

    /** Whether any token, expired or not, has this secret: tells an expired secret from an unknown one. */
    boolean exists(String secret) {
        return byHash.containsKey(Secrets.hash(secret));
    }

    public Token find(String name) {
        return byName.get(name);
    }

    public List<Token> all() {
        List<Token> tokens = new ArrayList<>(byName.values());
        tokens.sort(Comparator.comparing(Token::name));
        return tokens;
    }

    /** Stores a new token and returns its secret, the only time it exists outside the caller's hands. */
    public String create(Token withoutSecret) {
        String secret = Secrets.generate();
        Token token = new Token(withoutSecret.name(), withoutSecret.role(), withoutSecret.groups(),
                withoutSecret.privilegedVars(), withoutSecret.expiresAt(), withoutSecret.description(), withoutSecret.createdAt(),
                withoutSecret.createdBy(), Secrets.hash(secret));
        try {
            client.create().forPath(layout.token(token.name()), encode(token));
        } catch (KeeperException.NodeExistsException e) {
            throw new KookException.AlreadyExists("token " + token.name() + " already exists");
        } catch (Exception e) {
            throw unavailable(e);
        }
        awaitLocally(token.name(), true);
        return secret;
    }

    public void delete(String name) {
        try {
            client.delete().forPath(layout.token(name));
        } catch (KeeperException.NoNodeException e) {
            throw new KookException.NotFound("token " + name + " does not exist");
        } catch (Exception e) {
            throw unavailable(e);
        }
        awaitLocally(name, false);
    }

    @Override
    public void start() {
        try {
            client.blockUntilConnected(30, TimeUnit.SECONDS);
            try {
                client.create().creatingParentsIfNeeded().forPath(layout.tokens());
            } catch (KeeperException.NodeExistsException alreadyThere) {
                // another replica or an earlier run made it
            }
            bootstrap();
            cache = CuratorCache.build(client, layout.tokens());
            cache.listenable().addListener(CuratorCacheListener.builder()
                    .forCreatesAndChanges((before, now) -> put(now))
                    .forDeletes(this::remove)
                    .forInitialized(initialized::countDown)
                    .build());
            cache.start();
            if (!initialized.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the token cache did not load within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not load the tokens from ZooKeeper", e);
        }
    }

    /**
     * Creates {@code bootstrap} when no token exists. Replicas starting together race on one create, so exactly one
     * token is made and only the winner writes the secret file.
     */
    private void bootstrap() throws Exception {
        if (!client.getChildren().forPath(layout.tokens()).isEmpty()) {
            return;
        }
        String configured = properties.bootstrapToken();
        String secret = configured == null || configured.isBlank() ? Secrets.generate() : configured;
        Token token = new Token(BOOTSTRAP, Role.ADMIN, List.of(), true, null,
                "created at first start; create real tokens and delete this one", Instant.now(), "kook",
                Secrets.hash(secret));
        try {
            client.create().forPath(layout.token(BOOTSTRAP), encode(token));
        } catch (KeeperException.NodeExistsException anotherReplicaWon) {
            return;
        }
        if (configured == null || configured.isBlank()) {
            writeSecretFile(properties.bootstrapTokenFile(), secret);
            log.warn("Created the admin token 'bootstrap'; its secret is in {} (readable by this user only)",
                    properties.bootstrapTokenFile().toAbsolutePath());
        } else {
            log.info("Created the admin token 'bootstrap' with the secret from kook.security.bootstrap-token");
        }
    }

    static void writeSecretFile(Path file, String secret) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".bootstrap-token", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, secret + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void put(ChildData data) {
        if (data.getPath().equals(layout.tokens()) || data.getData() == null) {
            return;
        }
        try {
            Token token = decode(data.getData());
            Token previous = byName.put(token.name(), token);
            if (previous != null) {
                byHash.remove(previous.secretHash(), previous);
            }
            byHash.put(token.secretHash(), token);
        } catch (RuntimeException e) {
            log.warn("Ignoring unreadable token node {}", data.getPath());
        }
    }

    private void remove(ChildData data) {
        String name = data.getPath().substring(data.getPath().lastIndexOf('/') + 1);
        Token previous = byName.remove(name);
        if (previous != null) {
            byHash.remove(previous.secretHash(), previous);
        }
    }

    /** A token API answer is visible on this replica when it is given: wait for the watch to deliver it. */
    private void awaitLocally(String name, boolean present) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((byName.get(name) != null) != present && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static RuntimeException unavailable(Exception e) {
        return new KookException.Unavailable("ZooKeeper did not take the token change: " + e.getClass().getSimpleName());
    }

    static byte[] encode(Token token) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("name", token.name());
        node.put("role", token.role().wire());
        node.put("groups", token.groups());
        node.put("privilegedVars", token.privilegedVars());
        node.put("expiresAt", token.expiresAt() == null ? null : token.expiresAt().toString());
        node.put("description", token.description());
        node.put("createdAt", token.createdAt().toString());
        node.put("createdBy", token.createdBy());
        node.put("secretHash", token.secretHash());
        return JSON.writeValueAsBytes(node);
    }

    static Token decode(byte[] data) {
        JsonNode node = JSON.readTree(data);
        List<String> groups = new ArrayList<>();
        node.path("groups").forEach(group -> groups.add(group.asString()));
        return new Token(node.get("name").asString(), Role.parse(node.get("role").asString()), groups,
                node.path("privilegedVars").asBoolean(false), instant(node.get("expiresAt")), text(node.get("description")), instant(node.get("createdAt")),
                text(node.get("createdBy")), node.get("secretHash").asString());
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asString();
    }

    private static Instant instant(JsonNode node) {
        return node == null || node.isNull() ? null : Instant.parse(node.asString());
    }

    @Override
    public void stop() {
        CuratorCache current = cache;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public boolean isRunning() {
        return cache != null;
    }

    @Override
    public int getPhase() {
        return -100;
    }
}
