package jaglets.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.Message;
import jaglets.api.ArrivalMode;
import jaglets.api.HostInfo;
import jaglets.api.JagletProxyRef;
import jaglets.api.TransferTicket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The paglets-compatible JSON shapes of messages, policies and deactivation requests (snake
 * case field names, times in seconds since the epoch), used on the host-child channel, in
 * inactive records and on the HTTP API alike.
 */
public final class WireFormat {

    private WireFormat() {
    }

    public static ObjectNode message(Message m) {
        ObjectNode node = Json.object();
        node.put("kind", m.kind());
        node.set("args", Json.toTree(m.args()));
        node.set("arg", Json.toTree(m.arg()));
        node.put("sender", m.sender());
        node.putNull("reply_to");
        node.put("priority", m.priority());
        node.put("message_type", 0);
        node.put("timestamp", m.timestamp() / 1000.0);
        node.put("message_id", m.messageId());
        return node;
    }

    @SuppressWarnings("unchecked")
    public static Message message(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "a message must be a JSON object with a 'kind'");
        }
        JsonNode kind = node.get("kind");
        if (kind == null || !kind.isTextual()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "message field 'kind' must be a string");
        }
        JsonNode args = node.get("args");
        if (args != null && !args.isNull() && !args.isObject()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "message field 'args' must be an object");
        }
        JsonNode priority = node.get("priority");
        if (priority != null && !priority.isNull() && !priority.isIntegralNumber()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "message field 'priority' must be an integer 0..10");
        }
        JsonNode timestamp = node.get("timestamp");
        return new Message(kind.textValue(),
                args == null || args.isNull() ? Map.of() : (Map<String, Object>) Json.toPlain(args),
                Json.toPlain(node.get("arg")),
                textOrNull(node.get("sender")),
                priority == null || priority.isNull() ? Message.NORMAL_PRIORITY : priority.intValue(),
                timestamp != null && timestamp.isNumber() ? Math.round(timestamp.doubleValue() * 1000) : 0,
                textOrNull(node.get("message_id")));
    }

    public static ObjectNode policy(DeactivationPolicy p) {
        ObjectNode node = Json.object();
        node.put("activate_on_message", p.activateOnMessage());
        node.put("queue_messages_when_inactive", p.queueMessagesWhenInactive());
        node.put("activate_on_startup", p.activateOnStartup());
        if (p.activateAt() == null) {
            node.putNull("activate_at");
        } else {
            node.put("activate_at", p.activateAt().toEpochMilli() / 1000.0);
        }
        return node;
    }

    public static DeactivationPolicy policy(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (!node.isObject()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "a deactivation policy must be a JSON object");
        }
        DeactivationPolicy d = DeactivationPolicy.DEFAULT;
        JsonNode at = node.get("activate_at");
        if (at != null && !at.isNull() && !at.isNumber()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "policy field 'activate_at' must be seconds since the epoch");
        }
        return new DeactivationPolicy(
                bool(node, "activate_on_message", d.activateOnMessage()),
                bool(node, "queue_messages_when_inactive", d.queueMessagesWhenInactive()),
                bool(node, "activate_on_startup", d.activateOnStartup()),
                at == null || at.isNull() ? null : Instant.ofEpochMilli(Math.round(at.doubleValue() * 1000)));
    }

    public static ObjectNode request(DeactivationRequest r) {
        ObjectNode node = Json.object();
        node.put("reason", r.reason());
        node.put("source", r.source());
        if (r.policy() == null) {
            node.putNull("policy");
        } else {
            node.set("policy", policy(r.policy()));
        }
        node.set("metadata", Json.toTree(r.metadata()));
        return node;
    }

    @SuppressWarnings("unchecked")
    public static DeactivationRequest request(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return DeactivationRequest.external(null);
        }
        if (!node.isObject()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "a deactivation request must be a JSON object");
        }
        JsonNode metadata = node.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "request field 'metadata' must be an object");
        }
        return new DeactivationRequest(textOrNull(node.get("reason")), textOrNull(node.get("source")),
                policy(node.get("policy")),
                metadata == null || metadata.isNull() ? Map.of()
                        : new LinkedHashMap<>((Map<String, Object>) Json.toPlain(metadata)));
    }

    /** A host as paglets' {@code HostRef} shows it: name, url, online, last_seen, tags, properties. */
    public static ObjectNode hostInfo(HostInfo h) {
        ObjectNode node = Json.object();
        node.put("name", h.name());
        node.put("url", h.url());
        node.put("online", h.online());
        if (h.lastSeen() == null) {
            node.putNull("last_seen");
        } else {
            node.put("last_seen", h.lastSeen().toEpochMilli() / 1000.0);
        }
        node.set("tags", Json.toTree(h.tags()));
        node.set("properties", Json.toTree(h.properties()));
        return node;
    }

    public static HostInfo hostInfo(JsonNode node) {
        List<String> tags = new ArrayList<>();
        node.path("tags").forEach(t -> tags.add(t.asText()));
        Map<String, String> properties = new LinkedHashMap<>();
        node.path("properties").fields().forEachRemaining(e -> properties.put(e.getKey(), e.getValue().asText()));
        JsonNode seen = node.get("last_seen");
        return new HostInfo(node.path("name").asText(), node.path("url").asText(), node.path("online").asBoolean(),
                seen == null || !seen.isNumber() ? null : Instant.ofEpochMilli(Math.round(seen.doubleValue() * 1000)),
                tags, properties);
    }

    /** paglets' proxy shape: {@code {"host_url", "agent_id"}}. */
    public static ObjectNode proxy(JagletProxyRef ref) {
        ObjectNode node = Json.object();
        node.put("host_url", ref.hostUrl());
        node.put("agent_id", ref.agentId());
        return node;
    }

    /** The answer of every operation that names an agent's place: {@code {"proxy": {...}}}. */
    public static ObjectNode proxyReply(JagletProxyRef ref) {
        ObjectNode reply = Json.object();
        reply.set("proxy", proxy(ref));
        return reply;
    }

    public static JagletProxyRef proxy(JsonNode node) {
        if (node == null || !node.path("agent_id").isTextual()) {
            throw new JagletException(ErrorType.REMOTE_HOST, "the answer carries no proxy {host_url, agent_id}");
        }
        return new JagletProxyRef(node.path("host_url").asText(null), node.get("agent_id").asText());
    }

    /** paglets' ticket shape (times in seconds) plus {@code expected_bundle_version}. */
    public static ObjectNode ticket(TransferTicket t) {
        ObjectNode node = Json.object();
        node.put("destination", t.destination());
        node.put("timeout", t.timeout().toMillis() / 1000.0);
        node.put("retries", t.retries());
        node.put("retry_interval", t.retryInterval().toMillis() / 1000.0);
        node.set("required_capabilities", Json.toTree(t.requiredCapabilities()));
        node.put("expected_code_version", t.expectedCodeVersion());
        node.put("expected_bundle_version", t.expectedBundleVersion());
        node.put("arrival_mode", t.arrivalMode().wireName());
        return node;
    }

    /** Reads a ticket; every field but {@code destination} is optional, and wrong types are a bad request. */
    public static TransferTicket ticket(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "a transfer ticket must be a JSON object");
        }
        List<String> capabilities = new ArrayList<>();
        JsonNode caps = node.get("required_capabilities");
        if (caps != null && !caps.isNull()) {
            if (!caps.isArray()) {
                throw new JagletException(ErrorType.BAD_REQUEST, "ticket field 'required_capabilities' must be a list");
            }
            caps.forEach(c -> capabilities.add(c.asText()));
        }
        JsonNode retries = node.get("retries");
        if (retries != null && !retries.isNull() && !retries.canConvertToInt()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "ticket field 'retries' must be a whole number");
        }
        JsonNode mode = node.get("arrival_mode");
        return new TransferTicket(ticketText(node, "destination"), seconds(node, "timeout"),
                retries == null || retries.isNull() ? 0 : retries.intValue(), seconds(node, "retry_interval"),
                capabilities, ticketText(node, "expected_code_version"), ticketText(node, "expected_bundle_version"),
                mode == null || mode.isNull() ? ArrivalMode.ACTIVATE : ArrivalMode.fromWireName(mode.asText()));
    }

    private static String ticketText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "ticket field '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static Duration seconds(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "ticket field '" + field + "' must be a number of seconds");
        }
        return Duration.ofMillis(Math.round(value.doubleValue() * 1000));
    }

    private static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "policy field '" + field + "' must be true or false");
        }
        return value.booleanValue();
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
