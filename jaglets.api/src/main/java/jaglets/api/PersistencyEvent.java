package jaglets.api;

import java.time.Instant;

/**
 * Passed to {@link Jaglet#onDeactivating}, {@link Jaglet#onActivation} and
 * {@link Jaglet#onDisposing}. {@code reason} is {@code "deactivate"}, {@code "shutdown"}, a
 * caller's word, {@code "activate"} or {@code "dispose"}.
 */
public record PersistencyEvent(String agentId, String hostName, String hostAddress, Instant timestamp,
                               String reason, DeactivationRequest request, DeactivationPolicy policy)
        implements LifecycleEvent {
}
