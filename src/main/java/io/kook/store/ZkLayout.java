package io.kook.store;

/**
 * Where Kook keeps what in ZooKeeper. Entities, edges and the commit marker live under
 * {@code <root>/inventory}, the subtree the mirror watches; lock nodes live under {@code <root>/locks}, so
 * they never move the mirror's revision. Every write sets the commit marker as the last op of its multi:
 * the marker's notification closes a transaction, and its mzxid is the revision.
 *
 * <pre>
 * &lt;root&gt;                                   {"schema":1}
 * &lt;root&gt;/inventory/commit                   {"write":"&lt;id&gt;"}: the last op of every write's multi
 * &lt;root&gt;/inventory/topology                 empty; its version guards nesting changes
 * &lt;root&gt;/inventory/import                   {} or {"open":"&lt;id&gt;","leaseMs":N,"batch":k}: a batched import in progress
 * &lt;root&gt;/inventory/hosts/&lt;host&gt;             {"vars":{...}}
 * &lt;root&gt;/inventory/groups/&lt;group&gt;           {"vars":{...}}
 * &lt;root&gt;/inventory/groups/&lt;g&gt;/hosts/&lt;h&gt;     empty: membership edge
 * &lt;root&gt;/inventory/groups/&lt;g&gt;/children/&lt;c&gt;  empty: nesting edge
 * &lt;root&gt;/inventory/services/&lt;s&gt;/&lt;host&gt;:&lt;port&gt;  a live registration (ephemeral from an agent, or with a TTL)
 * &lt;root&gt;/locks/...                         Curator lock nodes
 * &lt;root&gt;/graveyard/&lt;czxid&gt;.h|g.&lt;name&gt;  empty: that incarnation of a host or group was deleted (see {@link Change})
 * &lt;root&gt;/leases/&lt;s&gt;/&lt;host&gt;:&lt;port&gt;          empty; its mtime is the last renewal of an HTTP registration
 * &lt;root&gt;/clock                            empty; a reaper sets it to learn ZooKeeper's time (the Stat's mtime)
 * &lt;root&gt;/registration-acl                 with credentials only: {@link RegistrationAclPolicy}, for the agents
 * &lt;root&gt;/history/&lt;bucket&gt;/&lt;write id&gt;    a change record, created in the write's own multi (see {@link #historyBucket})
 * </pre>
 *
 * <p>Leases and the clock live outside {@code <root>/inventory} on purpose: renewing a registration or reading
 * ZooKeeper's time changes nothing a reader sees, so it must not wake the mirror or move the revision.
 */
public final class ZkLayout {

    private final String root;
    private final String inventory;
    private final String hosts;
    private final String groups;
    private final ZkAcls acls;

    /** A layout whose nodes are created open (no credentials configured). */
    public ZkLayout(String root) {
        this(root, ZkAcls.open());
    }

    /** A layout whose nodes are created with the ACLs {@code acls} decides. */
    public ZkLayout(String root, ZkAcls acls) {
        this.acls = acls;
        if (root == null || !root.startsWith("/") || (root.length() > 1 && root.endsWith("/"))) {
            throw new IllegalArgumentException("kook.zookeeper.root must be an absolute znode path, got " + root);
        }
        this.root = root.equals("/") ? "" : root;
        this.inventory = this.root + "/inventory";
        this.hosts = inventory + "/hosts";
        this.groups = inventory + "/groups";
    }

    /** The ACL a node at {@code path} is created with: what Kook's raw {@code Op.create}s pass. */
    public java.util.List<org.apache.zookeeper.data.ACL> acl(String path) {
        return acls.forPath(path);
    }

    public ZkAcls acls() {
        return acls;
    }

    /** With credentials: Kook's and the agents' digest ids, readable by the agents (see {@link RegistrationAclPolicy}). */
    public String registrationAcl() {
        return root + "/registration-acl";
    }

    public String root() {
        return root.isEmpty() ? "/" : root;
    }

    public String inventory() {
        return inventory;
    }

    /** Bearer tokens, one znode per token holding its hash: outside the inventory, so they never move its revision. */
    public String tokens() {
        return root + "/tokens";
    }

    public String token(String name) {
        return tokens() + "/" + name;
    }

    public String hosts() {
        return hosts;
    }

    public String groups() {
        return groups;
    }

    public String services() {
        return inventory + "/services";
    }

    public String service(String service) {
        return services() + "/" + service;
    }

    public String registration(String service, String instance) {
        return service(service) + "/" + instance;
    }

    /** Registration leases, outside the watched subtree: renewals never move the revision. */
    public String leases() {
        return root + "/leases";
    }

    /** The lease of one HTTP registration: its mtime is when it was last renewed (ZooKeeper time). */
    public String lease(String service, String instance) {
        return leases() + "/" + service + "/" + instance;
    }

    /** Set (with empty data) to read ZooKeeper's current time from the returned Stat's mtime. */
    public String clock() {
        return root + "/clock";
    }

    /** The data a write sets on {@link #commit()}: the write's id, by which a lost answer is settled. */
    public static byte[] commitMarker(String writeId) {
        return ("{\"write\":\"" + writeId + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public String commit() {
        return inventory + "/commit";
    }

    /** Every write checks this node's version; a batched import holds it "open" while it runs. */
    public String importGuard() {
        return inventory + "/import";
    }

    public String topology() {
        return inventory + "/topology";
    }

    public String locks() {
        return root + "/locks";
    }

    /** Change records, outside the watched subtree: history is read on request, never mirrored. */
    public String history() {
        return root + "/history";
    }

    /**
     * The bucket a write planned on {@code plannedRevision} files its record in: one per 2^16 zxids, so that no
     * listing approaches ZooKeeper's 1 MB response limit however long the history. Buckets are named by the
     * revision the write was planned on (the commit's own zxid is not known before it), in hex padded so that
     * names sort by age; a record's true revision is its creation zxid.
     */
    public String historyBucket(long plannedRevision) {
        return history() + "/" + String.format("%012x", plannedRevision >>> 16);
    }

    /** Tombstones of deleted entities, outside the watched subtree: they never move the revision. */
    public String graveyard() {
        return root + "/graveyard";
    }

    /**
     * The tombstone of one incarnation of an entity: its creation zxid and its name, since every node one multi
     * creates shares that multi's zxid.
     */
    public String tombstone(long czxid, boolean host, String name) {
        return graveyard() + "/" + czxid + (host ? ".h." : ".g.") + name;
    }

    public String host(String name) {
        return hosts + "/" + name;
    }

    public String group(String name) {
        return groups + "/" + name;
    }

    public String groupHosts(String group) {
        return group(group) + "/hosts";
    }

    public String groupChildren(String group) {
        return group(group) + "/children";
    }

    public String member(String group, String host) {
        return groupHosts(group) + "/" + host;
    }

    public String child(String group, String child) {
        return groupChildren(group) + "/" + child;
    }

    /** What a path under the inventory subtree stands for. */
    public sealed interface Node permits HostNode, GroupNode, MemberEdge, ChildEdge, TopologyNode, CommitNode, ImportNode, RegistrationNode, ServiceNode, OtherNode {
    }

    public record HostNode(String name) implements Node {
    }

    public record GroupNode(String name) implements Node {
    }

    public record MemberEdge(String group, String host) implements Node {
    }

    public record ChildEdge(String group, String child) implements Node {
    }

    public record TopologyNode() implements Node {
    }

    public record CommitNode() implements Node {
    }

    public record ImportNode() implements Node {
    }

    public record RegistrationNode(String service, String instance) implements Node {
    }

    /** The container of one service's registrations. */
    public record ServiceNode(String service) implements Node {
    }

    /** Containers and anything Kook did not write. */
    public record OtherNode() implements Node {
    }

    private static final Node OTHER = new OtherNode();

    public Node parse(String path) {
        if (path.equals(topology())) {
            return new TopologyNode();
        }
        if (path.equals(commit())) {
            return new CommitNode();
        }
        if (path.equals(importGuard())) {
            return new ImportNode();
        }
        String services = services();
        if (path.startsWith(services + "/")) {
            String[] parts = path.substring(services.length() + 1).split("/", -1);
            if (parts.length == 1) {
                return new ServiceNode(parts[0]);
            }
            return parts.length == 2 ? new RegistrationNode(parts[0], parts[1]) : OTHER;
        }
        if (path.startsWith(hosts) && path.length() > hosts.length() + 1 && path.charAt(hosts.length()) == '/') {
            String name = path.substring(hosts.length() + 1);
            return name.indexOf('/') < 0 ? new HostNode(name) : OTHER;
        }
        if (path.startsWith(groups) && path.length() > groups.length() + 1 && path.charAt(groups.length()) == '/') {
            String[] parts = path.substring(groups.length() + 1).split("/", -1);
            if (parts.length == 1) {
                return new GroupNode(parts[0]);
            }
            if (parts.length == 3 && parts[1].equals("hosts")) {
                return new MemberEdge(parts[0], parts[2]);
            }
            if (parts.length == 3 && parts[1].equals("children")) {
                return new ChildEdge(parts[0], parts[2]);
            }
        }
        return OTHER;
    }
}
