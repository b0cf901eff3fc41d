package jaglets.api;

import java.time.Instant;

/** Passed to {@link Jaglet#onCreation}; {@code init} is the creator's initialisation value. */
public record CreationEvent(String agentId, String hostName, String hostAddress, Instant timestamp, Object init)
        implements LifecycleEvent {
}
