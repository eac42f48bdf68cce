package io.kook.store;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an agent must know to give its nodes the right ACLs, published by Kook in {@code <root>/registration-acl}
 * (readable by Kook and the configured agents only): Kook's digest id, which an agent cannot learn otherwise
 * (ZooKeeper masks digest ids to clients without ADMIN), and the agent ids, so a registration container an agent
 * creates admits the other agents too.
 *
 * @param kook   Kook's digest id, {@code user:digest}
 * @param agents the agents' digest ids
 */
public record RegistrationAclPolicy(String kook, List<String> agents) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public RegistrationAclPolicy {
        agents = List.copyOf(agents);
    }

    static RegistrationAclPolicy of(ZkAcls acls) {
        return new RegistrationAclPolicy(acls.kookId(), acls.agentIds());
    }

    public byte[] encode() {
        ObjectNode node = JSON.createObjectNode();
        node.put("kook", kook);
        ArrayNode list = node.putArray("agents");
        agents.forEach(list::add);
        return JSON.writeValueAsBytes(node);
    }

    public static RegistrationAclPolicy decode(byte[] data) {
        JsonNode node = JSON.readTree(data);
        List<String> agents = new ArrayList<>();
        node.path("agents").forEach(a -> agents.add(ZkAcls.requireDigestId(a.asString())));
        return new RegistrationAclPolicy(ZkAcls.requireDigestId(node.path("kook").asString()), agents);
    }
}
