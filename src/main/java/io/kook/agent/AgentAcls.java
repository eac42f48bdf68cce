package io.kook.agent;

import java.util.ArrayList;
import java.util.List;

import io.kook.store.RegistrationAclPolicy;
import io.kook.store.ZkAcls;
import io.kook.store.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * The ACLs of the nodes an agent with digest credentials creates. Against a Kook with credentials (it publishes
 * {@link RegistrationAclPolicy} in {@code <root>/registration-acl}) a registration gives Kook's identity all rights
 * and the agent its own, and a registration container the agent creates first admits Kook and every agent, as
 * Kook's own would. Against a Kook without credentials (no policy node) a registration stays as before: writable
 * by its agent, readable by everyone.
 */
final class AgentAcls implements ACLProvider {

    private final ZkLayout layout;
    private final Id self;
    private volatile RegistrationAclPolicy policy;

    AgentAcls(ZkLayout layout, String user, String password) {
        this.layout = layout;
        this.self = new Id("digest", ZkAcls.digestId(user, password));
    }

    /**
     * Reads Kook's policy; a missing node means Kook runs without credentials.
     *
     * @throws KeeperException.NoAuthException when Kook does not list this agent's digest id
     */
    void load(CuratorFramework client) throws Exception {
        try {
            policy = RegistrationAclPolicy.decode(client.getData().forPath(layout.registrationAcl()));
        } catch (KeeperException.NoNodeException openKook) {
            policy = null;
        }
    }

    @Override
    public List<ACL> getDefaultAcl() {
        return getAclForPath(null);
    }

    @Override
    public List<ACL> getAclForPath(String path) {
        ZkLayout.Node node = path == null ? null : layout.parse(path);
        RegistrationAclPolicy current = policy;
        List<ACL> acl = new ArrayList<>();
        if (current == null) {
            if (node instanceof ZkLayout.RegistrationNode) {
                acl.addAll(ZooDefs.Ids.CREATOR_ALL_ACL);
                acl.addAll(ZooDefs.Ids.READ_ACL_UNSAFE);
                return acl;
            }
            return ZooDefs.Ids.OPEN_ACL_UNSAFE;
        }
        acl.add(new ACL(ZooDefs.Perms.ALL, new Id("digest", current.kook())));
        if (node instanceof ZkLayout.RegistrationNode) {
            acl.add(new ACL(ZooDefs.Perms.ALL, self));
        } else if (node instanceof ZkLayout.ServiceNode) {
            current.agents().forEach(agent -> acl.add(new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.CREATE,
                    new Id("digest", agent))));
        }
        return acl;
    }
}
