package io.kook.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.kook.history.ChangeRecord.EdgeChange;
import io.kook.history.ChangeRecord.EntityChange;
import io.kook.history.ChangeRecord.EntityType;
import io.kook.history.ChangeRecord.Kind;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bytes of a change record znode. Revision and time are not in them: they are the znode's creation zxid and
 * time, which only ZooKeeper knows when the multi commits. Keys are short (a record is written with every write,
 * and a batched import's records carry thousands of entities); vars keep their JSON types exactly.
 *
 * <pre>
 * {"v":1,"actor":"ci","reason":"deploy 42","requestId":"..","op":"host.put","part":1,"parts":1,
 *  "entities":[{"t":"h","n":"web1","k":"u","ver":3,"cz":4294967302,"vars":{..}}],
 *  "edges":[{"c":false,"g":"web","m":"web1","a":true}]}
 * </pre>
 */
public final class ChangeRecordCodec {

    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(Integer.MAX_VALUE).maxStringLength(Integer.MAX_VALUE).build())
                    .build())
            .build();

    private ChangeRecordCodec() {
    }

    public static byte[] encode(ChangeRecord record) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("v", 1);
        doc.put("actor", record.actor());
        doc.put("reason", record.reason());
        doc.put("requestId", record.requestId());
        doc.put("op", record.op());
        doc.put("part", record.part());
        doc.put("parts", record.parts());
        ArrayNode entities = doc.putArray("entities");
        for (EntityChange e : record.entities()) {
            ObjectNode entity = entities.addObject();
            entity.put("t", e.entity() == EntityType.HOST ? "h" : "g");
            entity.put("n", e.name());
            entity.put("k", e.kind().wire().substring(0, 1));
            entity.put("ver", e.versionBefore());
            entity.put("cz", e.czxidBefore());
            if (e.varsBefore() != null) {
                entity.set("vars", e.varsBefore());
            }
        }
        ArrayNode edges = doc.putArray("edges");
        for (EdgeChange e : record.edges()) {
            edges.addObject().put("c", e.child()).put("g", e.group()).put("m", e.member()).put("a", e.added());
        }
        return JSON.writeValueAsBytes(doc);
    }

    /** Reads a record back, with the revision and time of its znode. */
    public static ChangeRecord decode(byte[] data, long revision, Instant time) {
        JsonNode doc = JSON.readTree(data);
        List<EntityChange> entities = new ArrayList<>();
        for (JsonNode e : doc.path("entities")) {
            JsonNode vars = e.get("vars");
            entities.add(new EntityChange(e.path("t").asString().equals("h") ? EntityType.HOST : EntityType.GROUP,
                    e.path("n").asString(), kind(e.path("k").asString()), e.path("ver").asInt(),
                    e.path("cz").asLong(), vars instanceof ObjectNode o ? o : null));
        }
        List<EdgeChange> edges = new ArrayList<>();
        for (JsonNode e : doc.path("edges")) {
            edges.add(new EdgeChange(e.path("c").asBoolean(), e.path("g").asString(), e.path("m").asString(),
                    e.path("a").asBoolean()));
        }
        return new ChangeRecord(revision, time, text(doc, "actor"), text(doc, "reason"), text(doc, "requestId"),
                text(doc, "op"), entities, edges, doc.path("part").asInt(1), doc.path("parts").asInt(1));
    }

    private static String text(JsonNode doc, String field) {
        JsonNode value = doc.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static Kind kind(String letter) {
        return switch (letter) {
            case "c" -> Kind.CREATED;
            case "d" -> Kind.DELETED;
            default -> Kind.UPDATED;
        };
    }
}
