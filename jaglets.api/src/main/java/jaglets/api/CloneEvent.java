package jaglets.api;

import java.time.Instant;

/** Passed to {@link Jaglet#onCloning}, {@link Jaglet#onClone} and {@link Jaglet#onCloned}. */
public record CloneEvent(String agentId, String hostName, String hostAddress, Instant timestamp,
                         String sourceAgentId, String cloneAgentId,
                         String sourceHostName, String sourceHostAddress,
                         String targetHostName, String targetHostAddress)
        implements LifecycleEvent {
}
