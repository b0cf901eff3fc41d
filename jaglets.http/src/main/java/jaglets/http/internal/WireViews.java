package jaglets.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentSummary;
import jaglets.api.MailboxStatus;
import jaglets.protocol.BundleCompatibility;
import jaglets.protocol.Json;
import jaglets.protocol.WireFormat;
import jaglets.runtime.AgentBundle;
import jaglets.runtime.AgentState;
import jaglets.runtime.HostEvent;
import jaglets.runtime.HostHealth;
import jaglets.mesh.HostRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paglets-shaped JSON of summaries, states, events and bundles (snake case, seconds), both
 * ways: the server writes it, the client reads it back.
 */
public final class WireViews {
    private WireViews() {
    }

    static ObjectNode summary(AgentSummary a) {
        ObjectNode node = Json.object();
        node.put("agent_id", a.agentId());
        node.put("class_name", a.className());
        node.putNull("state_class_name");
        node.put("bundle_symbolic_name", a.bundleSymbolicName());
        node.put("bundle_version", a.bundleVersion());
        node.put("host", a.hostName());
        node.put("address", a.hostAddress());
        node.put("active", a.active());
        if (a.deactivatedAt() != null) {
            node.put("deactivated_at", seconds(a.deactivatedAt()));
            return node;
        }
        if (a.pid() == null) {
            node.putNull("pid");
        } else {
            node.put("pid", a.pid());
        }
        node.put("crashed", a.crashed());
        if (a.exitCode() == null) {
            node.putNull("exitcode");
        } else {
            node.put("exitcode", a.exitCode());
        }
        node.put("error", a.error());
        ObjectNode mailbox = node.putObject("mailbox");
        mailbox.put("queued_count", a.mailbox().queuedCount());
        mailbox.put("in_flight_count", a.mailbox().inFlightCount());
        mailbox.put("delivered_count", a.mailbox().deliveredCount());
        mailbox.put("failed_count", a.mailbox().failedCount());
        node.putObject("resources");
        return node;
    }

    static ObjectNode state(AgentState s) {
        ObjectNode node = summary(s.summary());
        node.set("state", Json.toTree(s.state()));
        node.put("consistent", s.consistent());
        if (!s.summary().active() && !s.summary().crashed()) {
            node.set("deactivation_policy", s.policy() == null ? null : WireFormat.policy(s.policy()));
            node.put("queued_message_count", s.queuedMessageCount());
        }
        return node;
    }

    static ObjectNode event(HostEvent e) {
        ObjectNode node = Json.object();
        node.put("event_id", e.eventId());
        node.put("kind", e.kind());
        node.put("host_name", e.hostName());
        node.put("host_address", e.hostAddress());
        node.put("timestamp", seconds(e.timestamp()));
        node.put("agent_id", e.agentId());
        node.put("class_name", e.className());
        node.put("message_id", e.messageId());
        node.putNull("service_name");
        node.set("data", Json.toTree(e.data()));
        node.put("error", e.error());
        return node;
    }

    static ObjectNode bundle(AgentBundle b) {
        ObjectNode node = Json.object();
        node.put("symbolic_name", b.symbolicName());
        node.put("version", b.version());
        node.set("classes", Json.toTree(b.classes()));
        node.put("sha256", b.sha256());
        node.put("compatibility", b.compatibility().wireName());
        node.put("deployed", b.deployed());
        node.put("agent_count", b.agentCount());
        return node;
    }

    /** paglets' health fields, and jaglets' own after them; {@code self} is the mesh's view of this host. */
    static ObjectNode health(HostHealth h, boolean authRequired, HostRef self, boolean meshEnabled) {
        ObjectNode node = Json.object();
        node.put("name", h.name());
        node.put("address", h.address());
        node.put("active_count", h.activeCount());
        node.put("inactive_count", h.inactiveCount());
        node.put("crashed_count", h.crashedCount());
        node.put("code_version", self == null ? "jaglets" : self.codeVersion());
        node.set("capabilities", Json.toTree(h.capabilities()));
        node.set("tags", Json.toTree(self == null ? List.of() : self.tags()));
        node.set("properties", Json.toTree(self == null ? java.util.Map.of() : self.properties()));
        node.put("mesh", meshEnabled);
        node.put("pooled_children", h.pooledChildren());
        node.put("child_archive", h.childArchive());
        node.put("data_dir", h.dataDir());
        node.put("auth_required", authRequired);
        return node;
    }

    static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    private static Instant instant(JsonNode seconds) {
        return seconds.isNumber() ? Instant.ofEpochMilli(Math.round(seconds.asDouble() * 1000)) : null;
    }

    /** Reads a summary written by {@link #summary}. */
    public static AgentSummary summaryFromWire(JsonNode node) {
        JsonNode mailbox = node.path("mailbox");
        boolean inactive = node.has("deactivated_at");
        return new AgentSummary(node.path("agent_id").asText(), text(node, "class_name"),
                text(node, "bundle_symbolic_name"), text(node, "bundle_version"), text(node, "host"),
                text(node, "address"), node.path("active").asBoolean(), node.path("crashed").asBoolean(),
                node.path("exitcode").isNumber() ? node.path("exitcode").asInt() : null, text(node, "error"),
                node.path("pid").isNumber() ? node.path("pid").asLong() : null,
                inactive ? instant(node.path("deactivated_at")) : null,
                inactive || mailbox.isMissingNode() ? MailboxStatus.EMPTY
                        : new MailboxStatus(mailbox.path("queued_count").asInt(), mailbox.path("in_flight_count").asInt(),
                        mailbox.path("delivered_count").asLong(), mailbox.path("failed_count").asLong()));
    }

    /** Reads a state written by {@link #state}. */
    public static AgentState stateFromWire(JsonNode node) {
        return new AgentState(summaryFromWire(node), Json.toPlain(node.get("state")), node.path("consistent").asBoolean(),
                WireFormat.policy(node.get("deactivation_policy")), node.path("queued_message_count").asInt());
    }

    /** Reads an event written by {@link #event}. */
    @SuppressWarnings("unchecked")
    public static HostEvent eventFromWire(JsonNode node) {
        Object data = Json.toPlain(node.get("data"));
        return new HostEvent(node.path("event_id").asLong(), text(node, "kind"), text(node, "host_name"),
                text(node, "host_address"), instant(node.path("timestamp")), text(node, "agent_id"),
                text(node, "class_name"), text(node, "message_id"),
                data instanceof Map ? (Map<String, Object>) data : new LinkedHashMap<>(), text(node, "error"));
    }

    /** Reads a bundle written by {@link #bundle}. */
    public static AgentBundle bundleFromWire(JsonNode node) {
        List<String> classes = new ArrayList<>();
        node.path("classes").forEach(c -> classes.add(c.asText()));
        // hosts that predate the compatibility header list none: their bundles need the exact version
        return new AgentBundle(text(node, "symbolic_name"), text(node, "version"), classes, text(node, "sha256"),
                BundleCompatibility.fromWire(text(node, "compatibility")), node.path("deployed").asBoolean(),
                node.path("agent_count").asInt());
    }

    /** Reads a health written by {@link #health}. */
    public static HostHealth healthFromWire(JsonNode node) {
        List<String> capabilities = new ArrayList<>();
        node.path("capabilities").forEach(c -> capabilities.add(c.asText()));
        return new HostHealth(text(node, "name"), text(node, "address"), node.path("active_count").asInt(),
                node.path("inactive_count").asInt(), node.path("crashed_count").asInt(),
                node.path("pooled_children").asInt(), node.path("child_archive").asBoolean(), text(node, "data_dir"),
                capabilities);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
