package io.kook.store;

import io.kook.inventory.Registration;
import org.apache.zookeeper.data.Stat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bytes of a registration znode, {@code {"metadata":{...},"ttlMillis":30000,"source":"http"}}, and the
 * record read back with its stat: {@code since} is the node's ctime and {@code expiresAt} its mtime plus the TTL,
 * both from ZooKeeper's clock, so every replica agrees on when a registration lapses.
 */
public final class RegistrationCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RegistrationCodec() {
    }

    public static byte[] encode(ObjectNode metadata, Long ttlMillis, String source) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.set("metadata", metadata == null ? JsonNodeFactory.instance.objectNode() : metadata);
        if (ttlMillis != null) {
            doc.put("ttlMillis", ttlMillis);
        }
        doc.put("source", source);
        return JSON.writeValueAsBytes(doc);
    }

    /** @return the registration, or {@code null} when the instance name is not {@code host:port} */
    public static Registration decode(String service, String instance, byte[] data, Stat stat) {
        int colon = instance.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        int port;
        try {
            port = Integer.parseInt(instance.substring(colon + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        Long expiresAt = null;
        String source = stat.getEphemeralOwner() != 0 ? "agent" : "http";
        try {
            JsonNode doc = data == null || data.length == 0 ? null : JSON.readTree(data);
            if (doc != null) {
                if (doc.get("metadata") instanceof ObjectNode m) {
                    metadata = m;
                }
                if (doc.hasNonNull("ttlMillis")) {
                    expiresAt = stat.getMtime() + doc.get("ttlMillis").asLong();
                }
                if (doc.hasNonNull("source")) {
                    source = doc.get("source").asString();
                }
            }
        } catch (RuntimeException e) {
            // foreign data: keep the defaults
        }
        return new Registration(service, instance.substring(0, colon), port, metadata, stat.getCtime(), expiresAt,
                source, stat.getVersion());
    }
}
