package jaglets.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.protocol.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The wire shape of {@link HostRef}: paglets' field names, {@code last_seen} in seconds. */
public final class HostRefs {
    private HostRefs() {
    }

    public static ObjectNode toWire(HostRef ref) {
        ObjectNode node = Json.object();
        node.put("name", ref.name());
        node.put("url", ref.url());
        node.put("code_version", ref.codeVersion());
        node.put("online", ref.online());
        node.put("last_seen", ref.lastSeen().toEpochMilli() / 1000.0);
        node.put("active_count", ref.activeCount());
        node.put("inactive_count", ref.inactiveCount());
        node.set("tags", Json.toTree(ref.tags()));
        node.set("properties", Json.toTree(ref.properties()));
        if (ref.error() != null) {
            node.put("error", ref.error());
        }
        return node;
    }

    public static ArrayNode toWire(List<HostRef> refs) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        refs.forEach(r -> array.add(toWire(r)));
        return array;
    }

    /** Reads a host ref; returns {@code null} for anything that is not a well-formed one. */
    public static HostRef fromWire(JsonNode node) {
        if (node == null || !node.isObject() || !node.path("name").isTextual() || !node.path("url").isTextual()
                || !node.path("code_version").isTextual()) {
            return null;
        }
        List<String> tags = new ArrayList<>();
        node.path("tags").forEach(t -> tags.add(t.asText()));
        Map<String, String> properties = new LinkedHashMap<>();
        node.path("properties").fields().forEachRemaining(e -> properties.put(e.getKey(), e.getValue().asText()));
        JsonNode lastSeen = node.get("last_seen");
        return new HostRef(node.get("name").asText(), HostRef.normalizeUrl(node.get("url").asText()),
                node.get("code_version").asText(), node.path("online").asBoolean(true),
                lastSeen != null && lastSeen.isNumber() ? Instant.ofEpochMilli(Math.round(lastSeen.asDouble() * 1000))
                        : Instant.EPOCH,
                node.path("active_count").asInt(), node.path("inactive_count").asInt(), tags, properties,
                node.hasNonNull("error") ? node.get("error").asText() : null);
    }

    public static List<HostRef> listFromWire(JsonNode array) {
        List<HostRef> refs = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode element : array) {
                HostRef ref = fromWire(element);
                if (ref != null) {
                    refs.add(ref);
                }
            }
        }
        return refs;
    }
}
