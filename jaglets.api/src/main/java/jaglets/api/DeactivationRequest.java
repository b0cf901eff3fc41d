package jaglets.api;

import java.util.Map;

/**
 * Why and by whom an agent is being deactivated; {@code policy} is a suggestion the agent's
 * {@link Jaglet#deactivationPolicy} may accept or replace.
 *
 * @param reason {@code "deactivate"}, {@code "shutdown"} or a caller's own word
 * @param source {@code "external"}, {@code "self"}, {@code "host"}
 */
public record DeactivationRequest(String reason, String source, DeactivationPolicy policy,
                                  Map<String, Object> metadata) {

    public static final String REASON_DEACTIVATE = "deactivate";
    public static final String REASON_SHUTDOWN = "shutdown";

    public DeactivationRequest {
        reason = reason == null || reason.isBlank() ? REASON_DEACTIVATE : reason;
        source = source == null || source.isBlank() ? "external" : source;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static DeactivationRequest external(DeactivationPolicy policy) {
        return new DeactivationRequest(REASON_DEACTIVATE, "external", policy, Map.of());
    }

    public static DeactivationRequest self(String reason, DeactivationPolicy policy) {
        return new DeactivationRequest(reason, "self", policy, Map.of());
    }
}
