package jaglets.api;

import java.time.Instant;

/** Passed to the movement hooks; {@code reason} is {@code "dispatch"} or {@code "retract"}. */
public record MobilityEvent(String agentId, String hostName, String hostAddress, Instant timestamp,
                            String sourceHostName, String sourceHostAddress,
                            String targetHostName, String targetHostAddress, String reason)
        implements LifecycleEvent {
}
