package jaglets.runtime.internal.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import jaglets.api.DeactivationPolicy;
import jaglets.api.JagletProxyRef;
import jaglets.protocol.BundleCompatibility;
import jaglets.runtime.internal.child.ChildProcess;
import jaglets.runtime.internal.mailbox.Mailbox;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything the host knows about one agent, in whichever state it is. Lifecycle transitions of
 * one agent hold {@link #lock}; messages to an active agent do not.
 */
final class AgentSlot {

    enum Status {
        STARTING, ACTIVE, ACTIVATING, DEACTIVATING, DISPOSING, DEPARTING, INACTIVE, CRASHED, GONE;

        /** A child runs (or is being given) this agent. */
        boolean hasChild() {
            return this == STARTING || this == ACTIVE || this == ACTIVATING || this == DEACTIVATING || this == DISPOSING
                    || this == DEPARTING;
        }
    }

    final String agentId;
    final ReentrantLock lock = new ReentrantLock();
    volatile Status status;
    volatile String className;
    volatile String bundleSymbolicName;
    /** The version the agent runs (or, inactive, the one its record names). */
    volatile String bundleVersion;
    /** What {@link #bundleVersion} declares: it travels with the agent and into its record. */
    volatile BundleCompatibility bundleCompatibility;
    volatile ChildProcess child;
    volatile Mailbox<Delivery> mailbox;
    volatile Integer exitCode;
    volatile String error;
    /** The newest state known to be consistent: from creation, activation or a locked snapshot. */
    volatile JsonNode lastState;
    volatile Instant deactivatedAt;
    /** Policy of an inactive agent, read from its record on first need. */
    volatile DeactivationPolicy policy;
    /** Whether class and bundle of an inactive agent have been read from its record. */
    volatile boolean recordRead;
    /** Grows with every activation and deactivation; stale deferred work checks it. */
    volatile long generation;
    /**
     * For an agent that arrived by a transfer: completes with where the agent is once its
     * {@code run()} returned, it moved on, or it stopped; the source waits for it (bounded).
     */
    volatile CompletableFuture<JagletProxyRef> settled;
    /** Completes when the messages queued while the agent was inactive have been handled after its activation. */
    volatile CompletableFuture<Void> replayed = CompletableFuture.completedFuture(null);

    AgentSlot(String agentId, Status status) {
        this.agentId = agentId;
        this.status = status;
    }

    /**
     * A starting agent is now active, unless it crashed meanwhile: the {@code run()} a landing
     * starts in the child can fail, and be reported, before the host has finished the landing.
     */
    boolean becomeActive() {
        synchronized (this) {
            if (status != Status.STARTING) {
                return false;
            }
            status = Status.ACTIVE;
            return true;
        }
    }

    /** This agent's arrival has settled at {@code location} (first call wins). */
    void settle(JagletProxyRef location) {
        CompletableFuture<JagletProxyRef> future = settled;
        if (future != null) {
            future.complete(location);
        }
    }
}
