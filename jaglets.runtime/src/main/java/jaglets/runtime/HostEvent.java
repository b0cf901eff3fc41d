package jaglets.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of a host's event log. {@code eventId} grows by one per event from 1; kinds keep
 * paglets' names ({@code create}, {@code deactivate}, {@code message-queued},
 * {@code paglet-crashed}, ...).
 */
public record HostEvent(long eventId, String kind, String hostName, String hostAddress, Instant timestamp,
                        String agentId, String className, String messageId, Map<String, Object> data,
                        String error) {
}
