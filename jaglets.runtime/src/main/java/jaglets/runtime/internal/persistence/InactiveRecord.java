package jaglets.runtime.internal.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import java.time.Instant;
import java.util.List;

/**
 * An inactive agent on disk: who it is, which code it needs (class and exact bundle version),
 * its state, the policy that wakes it, and the messages that wait for it.
 */
public record InactiveRecord(String agentId, String className, String bundleSymbolicName, String bundleVersion,
                             JsonNode state, DeactivationPolicy policy, DeactivationRequest request,
                             Instant deactivatedAt, List<QueuedMessage> queuedMessages) {

    public InactiveRecord {
        queuedMessages = queuedMessages == null ? List.of() : List.copyOf(queuedMessages);
    }

    public InactiveRecord withQueuedMessages(List<QueuedMessage> messages) {
        return new InactiveRecord(agentId, className, bundleSymbolicName, bundleVersion, state, policy, request,
                deactivatedAt, messages);
    }
}
