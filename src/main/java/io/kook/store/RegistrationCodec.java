package io.kook.store;

import io.kook.inventory.Registration;
import org.apache.zookeeper.data.Stat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bytes of a registration znode, {@code {"metadata":{...},"ttlMillis":30000,"source":"http"}}, and the
 * record read back with its stat ({@code since} is the node's ctime, ZooKeeper's clock). The bytes are exactly
 * what readers see of a registration; renewals do not rewrite them (they touch the lease outside the
 * inventory, see {@link ZkLayout#lease}), so a renewal that changes nothing visible moves no revision.
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

    /**
     * Whether two registration documents say the same to readers (same metadata, TTL and source), whatever the
     * byte order of their fields: a renewal with the same content must not commit a change.
     */
    public static boolean sameContent(byte[] stored, byte[] renewed) {
        if (java.util.Arrays.equals(stored, renewed)) {
            return true;
        }
        try {
            return stored != null && renewed != null && JSON.readTree(stored).equals(JSON.readTree(renewed));
        } catch (RuntimeException e) {
            return false;
        }
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
        Long ttlMillis = null;
        String source = stat.getEphemeralOwner() != 0 ? "agent" : "http";
        try {
            JsonNode doc = data == null || data.length == 0 ? null : JSON.readTree(data);
            if (doc != null) {
                if (doc.get("metadata") instanceof ObjectNode m) {
                    metadata = m;
                }
                if (doc.hasNonNull("ttlMillis")) {
                    ttlMillis = doc.get("ttlMillis").asLong();
                }
                if (doc.hasNonNull("source")) {
                    source = doc.get("source").asString();
                }
            }
        } catch (RuntimeException e) {
            // foreign data: keep the defaults
        }
        return new Registration(service, instance.substring(0, colon), port, metadata, stat.getCtime(), ttlMillis,
                source, stat.getVersion());
    }
}
