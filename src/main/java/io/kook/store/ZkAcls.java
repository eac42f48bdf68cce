package io.kook.store;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * The one answer to "which ACL does this znode get", for Curator's creates (as its {@link ACLProvider}) and for
 * the raw {@code Op.create}s of Kook's multis (through {@link ZkLayout#acl}). Without credentials every node is
 * open, as ZooKeeper's default. With them, every node under Kook's root gives Kook's digest identity all rights
 * and nobody else any, except the registration containers ({@code <root>/inventory/services} and
 * {@code services/<s>}), where the configured agent identities may also read and create, so an agent can
 * add its ephemeral registration. Agents get no DELETE anywhere: ZooKeeper grants DELETE on a parent for all its
 * children, so an agent that could remove its own registration could remove everybody's; an agent deregisters by
 * ending the session that owns the ephemeral node instead. Nodes outside the root (Spring Cloud Zookeeper's
 * service discovery) stay open, since other services must read them.
 */
public final class ZkAcls implements ACLProvider {

    private static final ZkAcls OPEN = new ZkAcls(null, null, List.of());

    private final String root;
    private final ZkLayout layout;
    private final Id kook;
    private final List<Id> agents;

    private ZkAcls(String root, Id kook, List<Id> agents) {
        this.root = root;
        this.layout = root == null ? null : new ZkLayout(root);
        this.kook = kook;
        this.agents = List.copyOf(agents);
    }

    /** {@code world:anyone} everywhere: no credentials configured. */
    public static ZkAcls open() {
        return OPEN;
    }

    /**
     * @param root     Kook's root znode; nodes under it are protected
     * @param username Kook's digest user
     * @param password Kook's digest password
     * @param agents   digest ids ({@code name:base64(sha1(name:password))}) of the agents that may register
     */
    public static ZkAcls digest(String root, String username, String password, List<String> agents) {
        List<Id> agentIds = new ArrayList<>();
        for (String agent : agents == null ? List.<String>of() : agents) {
            agentIds.add(new Id("digest", requireDigestId(agent.strip())));
        }
        return new ZkAcls(new ZkLayout(root).root(), new Id("digest", digestId(username, password)), agentIds);
    }

    /** The digest id ZooKeeper derives from these credentials: {@code username:base64(sha1(username:password))}. */
    public static String digestId(String username, String password) {
        try {
            return DigestAuthenticationProvider.generateDigest(username + ":" + password);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    static String requireDigestId(String id) {
        int colon = id.indexOf(':');
        if (colon <= 0 || colon == id.length() - 1 || id.indexOf(':', colon + 1) >= 0) {
            throw new IllegalArgumentException("kook.zookeeper.auth.agents takes digest ids user:base64(sha1(user:password)),"
                    + " got an entry that is not one");
        }
        return id;
    }

    public boolean secured() {
        return kook != null;
    }

    /** Kook's own digest id ({@code user:digest}), or null when open. */
    public String kookId() {
        return kook == null ? null : kook.getId();
    }

    public List<String> agentIds() {
        return agents.stream().map(Id::getId).toList();
    }

    /** Kook alone, with all rights: every node under the root but the registration containers. */
    public List<ACL> kookOnly() {
        return kook == null ? ZooDefs.Ids.OPEN_ACL_UNSAFE : frozen(List.of(new ACL(ZooDefs.Perms.ALL, kook)));
    }

    /** Kook with all rights, every agent with READ and CREATE. */
    public List<ACL> registrationContainer() {
        if (kook == null) {
            return ZooDefs.Ids.OPEN_ACL_UNSAFE;
        }
        List<ACL> acl = new ArrayList<>(kookOnly());
        for (Id agent : agents) {
            acl.add(new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.CREATE, agent));
        }
        return frozen(acl);
    }

    /** What Kook's agents may read: the node holding {@link RegistrationAclPolicy}. */
    public List<ACL> readableByAgents() {
        if (kook == null) {
            return ZooDefs.Ids.OPEN_ACL_UNSAFE;
        }
        List<ACL> acl = new ArrayList<>(kookOnly());
        for (Id agent : agents) {
            acl.add(new ACL(ZooDefs.Perms.READ, agent));
        }
        return frozen(acl);
    }

    /** Unmodifiable, but null-tolerant: ZooKeeper asks {@code contains(null)}, which {@code List.of} refuses. */
    private static List<ACL> frozen(List<ACL> acl) {
        return java.util.Collections.unmodifiableList(new ArrayList<>(acl));
    }

    /** The ACL a node at {@code path} gets when Kook creates it (or repairs it). */
    public List<ACL> forPath(String path) {
        if (kook == null || !under(path)) {
            return ZooDefs.Ids.OPEN_ACL_UNSAFE;
        }
        if (path.equals(layout.services()) || layout.parse(path) instanceof ZkLayout.ServiceNode) {
            return registrationContainer();
        }
        if (path.equals(layout.registrationAcl())) {
            return readableByAgents();
        }
        return kookOnly();
    }

    private boolean under(String path) {
        return root.equals("/") || root.isEmpty() || path.equals(root) || path.startsWith(root + "/");
    }

    @Override
    public List<ACL> getDefaultAcl() {
        return kookOnly();
    }

    @Override
    public List<ACL> getAclForPath(String path) {
        return forPath(path);
    }

    @Override
    public String toString() {
        return secured() ? "ZkAcls[digest " + kook.getId().substring(0, kook.getId().indexOf(':')) + ", agents="
                + agents.stream().map(a -> a.getId().substring(0, a.getId().indexOf(':'))).toList() + "]" : "ZkAcls[open]";
    }
}
