package jaglets.runtime.internal.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.protocol.BundleCompatibility;
import java.time.Instant;
import java.util.List;

/**
 * An inactive agent on disk: who it is, which code it needs (class, exact bundle version, and the
 * compatibility that version declares, so the agent can activate where that version is missing),
 * its state, the policy that wakes it, and the messages that wait for it.
 *
 * @param bundleCompatibility {@code null} reads as {@link BundleCompatibility#EXACT}
 */
public record InactiveRecord(String agentId, String className, String bundleSymbolicName, String bundleVersion,
                             BundleCompatibility bundleCompatibility, JsonNode state, DeactivationPolicy policy,
                             DeactivationRequest request, Instant deactivatedAt, List<QueuedMessage> queuedMessages) {

    public InactiveRecord {
        bundleCompatibility = bundleCompatibility == null ? BundleCompatibility.EXACT : bundleCompatibility;
        queuedMessages = queuedMessages == null ? List.of() : List.copyOf(queuedMessages);
    }

    public InactiveRecord withQueuedMessages(List<QueuedMessage> messages) {
        return new InactiveRecord(agentId, className, bundleSymbolicName, bundleVersion, bundleCompatibility, state,
                policy, request, deactivatedAt, messages);
    }
}
