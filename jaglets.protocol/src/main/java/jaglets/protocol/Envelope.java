package jaglets.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.ArrivalMode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import java.util.Locale;

/**
 * An agent on its way between hosts: identity, code (bundle name, version and the SHA-256 of
 * its jar, so a target can fetch and check it, and the compatibility that version declares, so
 * a target without it knows which of its own versions may run the agent), state, and where it
 * comes from and goes to. The transfer id names one hand-over; both hosts key their durable
 * records by it.
 *
 * @param cloneOf for a clone, the id of the original agent; else {@code null}
 * @param bundleCompatibility {@code null} reads as {@link BundleCompatibility#EXACT}
 */
public record Envelope(String transferId, Kind kind, String agentId, String cloneOf, String className,
                       String bundleSymbolicName, String bundleVersion, String bundleSha256,
                       BundleCompatibility bundleCompatibility, JsonNode state,
                       String sourceHostName, String sourceHostAddress, String targetHostName,
                       String targetHostAddress, ArrivalMode arrivalMode) {

    public static final String FORMAT = "jaglets.envelope.v1";

    /** Why the agent travels; decides which hooks run at both ends. */
    public enum Kind {
        DISPATCH, CLONE, RETRACT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Envelope {
        state = state == null ? NullNode.getInstance() : state;
        arrivalMode = arrivalMode == null ? ArrivalMode.ACTIVATE : arrivalMode;
        bundleCompatibility = bundleCompatibility == null ? BundleCompatibility.EXACT : bundleCompatibility;
    }

    public Envelope withTarget(String name, String address) {
        return new Envelope(transferId, kind, agentId, cloneOf, className, bundleSymbolicName, bundleVersion,
                bundleSha256, bundleCompatibility, state, sourceHostName, sourceHostAddress, name, address,
                arrivalMode);
    }

    /** The same envelope without its state, for records that only need to name the transfer. */
    public Envelope withoutState() {
        return new Envelope(transferId, kind, agentId, cloneOf, className, bundleSymbolicName, bundleVersion,
                bundleSha256, bundleCompatibility, null, sourceHostName, sourceHostAddress, targetHostName,
                targetHostAddress, arrivalMode);
    }

    public ObjectNode toWire() {
        ObjectNode node = Json.object();
        node.put("format", FORMAT);
        node.put("transfer_id", transferId);
        node.put("kind", kind.wireName());
        node.put("agent_id", agentId);
        node.put("clone_of", cloneOf);
        node.put("agent_class_name", className);
        ObjectNode bundle = node.putObject("bundle");
        bundle.put("symbolic_name", bundleSymbolicName);
        bundle.put("version", bundleVersion);
        bundle.put("sha256", bundleSha256);
        bundle.put("compatibility", bundleCompatibility.wireName());
        node.put("source_host_name", sourceHostName);
        node.put("source_host_address", sourceHostAddress);
        node.put("target_host_name", targetHostName);
        node.put("target_host_address", targetHostAddress);
        node.put("arrival_mode", arrivalMode.wireName());
        node.set("state", state);
        return node;
    }

    /** Reads an envelope, refusing anything that is not one of this format. */
    public static Envelope fromWire(JsonNode node) {
        if (node == null || !node.isObject() || !FORMAT.equals(node.path("format").asText())) {
            throw new JagletException(ErrorType.BAD_REQUEST, "the body is not a " + FORMAT + " envelope");
        }
        Kind kind;
        try {
            kind = Kind.valueOf(required(node, "kind").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new JagletException(ErrorType.BAD_REQUEST, "envelope kind must be dispatch, clone or retract");
        }
        JsonNode bundle = node.path("bundle");
        return new Envelope(required(node, "transfer_id"), kind, required(node, "agent_id"), optional(node, "clone_of"),
                required(node, "agent_class_name"), required(bundle, "symbolic_name"), required(bundle, "version"),
                optional(bundle, "sha256"), BundleCompatibility.fromWire(optional(bundle, "compatibility")),
                node.get("state"), optional(node, "source_host_name"),
                required(node, "source_host_address"), optional(node, "target_host_name"),
                optional(node, "target_host_address"), ArrivalMode.fromWireName(node.path("arrival_mode").asText("activate")));
    }

    private static String required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "envelope field '" + field + "' must be a non-empty string");
        }
        return value.asText();
    }

    private static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
