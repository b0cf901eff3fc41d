package jaglets.runtime.internal.lifecycle;

import jaglets.api.AgentSummary;
import jaglets.api.DeactivationPolicy;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.MailboxStatus;
import jaglets.runtime.internal.child.ChildProcess;
import jaglets.runtime.internal.events.EventLog;
import jaglets.runtime.internal.mailbox.Mailbox;
import jaglets.runtime.internal.persistence.InactiveRecord;
import jaglets.runtime.internal.persistence.RecordStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every agent of the host by id, in whichever state it is, with the lookups and checks all
 * lifecycle and message paths share.
 */
final class AgentTable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentTable.class);
    /** Agent ids are file names too: letters, digits, {@code ._-}, not starting with a dot. */
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    final Map<String, AgentSlot> slots = new ConcurrentHashMap<>();
    private final HostSettings settings;
    private final RecordStore store;
    private final EventLog events;
    final MovedAgents moved = new MovedAgents(java.time.Clock.systemUTC());
    volatile boolean closing;

    AgentTable(HostSettings settings, RecordStore store, EventLog events) {
        this.settings = settings;
        this.store = store;
        this.events = events;
    }

    AgentSlot requireSlot(String agentId) {
        if (agentId == null) {
            throw unknownAgent("null");
        }
        AgentSlot slot = slots.get(agentId);
        if (slot == null || slot.status == AgentSlot.Status.GONE) {
            throw unknownAgent(agentId);
        }
        return slot;
    }

    /** The agent is not here; if it left recently, the error says where it went. */
    JagletException unknownAgent(String agentId) {
        jaglets.api.JagletProxyRef location = agentId == null ? null : moved.where(agentId);
        if (location != null) {
            return new jaglets.api.AgentMovedException(agentId, location);
        }
        return new JagletException(ErrorType.INVALID_AGENT, "no agent '" + agentId + "' on host " + settings.name());
    }

    JagletException crashedError(AgentSlot slot) {
        return new JagletException(ErrorType.AGENT_CRASHED, "agent " + slot.agentId + " crashed"
                + (slot.exitCode == null ? "" : " (exit code " + slot.exitCode + ")")
                + (slot.error == null ? "" : ": " + slot.error) + "; inspect it or dispose it");
    }

    /** A fresh agent id: 32 hex digits. */
    static String newAgentId() {
        return java.util.UUID.randomUUID().toString().replace("-", "");
    }

    static void checkAgentId(String agentId) {
        if (!AGENT_ID.matcher(agentId).matches()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "agent id '" + agentId + "' is not allowed: use 1 to 128 "
                    + "letters, digits, '.', '_' or '-', not starting with '.'");
        }
    }

    void requireOpen() {
        if (closing) {
            throw new JagletException(ErrorType.HOST, "host " + settings.name() + " is shutting down");
        }
    }

    AgentSummary summary(AgentSlot slot) {
        if (slot.status == AgentSlot.Status.GONE) {
            throw unknownAgent(slot.agentId);
        }
        if (slot.status == AgentSlot.Status.INACTIVE && !slot.recordRead) {
            adoptRecord(slot, store.read(slot.agentId));
        }
        ChildProcess child = slot.child;
        boolean inactive = slot.status == AgentSlot.Status.INACTIVE;
        boolean crashed = slot.status == AgentSlot.Status.CRASHED;
        Mailbox<Delivery> mailbox = slot.mailbox;
        return new AgentSummary(slot.agentId, slot.className, slot.bundleSymbolicName, slot.bundleVersion,
                settings.name(), settings.address(), !inactive && !crashed, crashed, slot.exitCode, slot.error,
                !inactive && !crashed && child != null ? child.pid() : null,
                inactive ? slot.deactivatedAt : null,
                inactive || mailbox == null ? MailboxStatus.EMPTY : mailbox.status());
    }

    void adoptRecord(AgentSlot slot, InactiveRecord record) {
        slot.className = record.className();
        slot.bundleSymbolicName = record.bundleSymbolicName();
        slot.bundleVersion = record.bundleVersion();
        slot.bundleCompatibility = record.bundleCompatibility();
        slot.policy = record.policy();
        slot.deactivatedAt = record.deactivatedAt();
        slot.recordRead = true;
    }

    DeactivationPolicy inactivePolicy(AgentSlot slot) {
        if (!slot.recordRead || slot.policy == null) {
            adoptRecord(slot, store.read(slot.agentId));
        }
        return slot.policy;
    }

    /** Active and inactive agents that run this bundle version (reads records not read yet). */
    int agentsUsing(String symbolicName, String version) {
        String normalized;
        try {
            normalized = org.osgi.framework.Version.parseVersion(version).toString();
        } catch (IllegalArgumentException e) {
            throw new JagletException(ErrorType.BAD_REQUEST, "'" + version + "' is not a bundle version");
        }
        int count = 0;
        for (AgentSlot slot : slots.values()) {
            try {
                if (slot.status == AgentSlot.Status.INACTIVE && !slot.recordRead) {
                    adoptRecord(slot, store.read(slot.agentId));
                }
            } catch (JagletException e) {
                continue;
            }
            if (slot.status != AgentSlot.Status.GONE && symbolicName.equals(slot.bundleSymbolicName)
                    && normalized.equals(slot.bundleVersion)) {
                count++;
            }
        }
        return count;
    }

    AgentSlot slotOf(ChildProcess child) {
        String id = child.agentId();
        AgentSlot slot = id == null ? null : slots.get(id);
        return slot != null && slot.child == child ? slot : null;
    }

    /** The child exited without being asked to, or its {@code run()} failed. */
    void markCrashed(AgentSlot slot, Integer exitCode, String error) {
        synchronized (slot) {
            if (!slot.status.hasChild()) {
                return;
            }
            slot.status = AgentSlot.Status.CRASHED;
            slot.exitCode = exitCode;
            slot.error = error;
        }
        JagletException crash = crashedError(slot);
        failAll(slot.mailbox.close(), crash);
        Map<String, Object> data = new HashMap<>();
        if (exitCode != null) {
            data.put("exitcode", exitCode);
        }
        events.emit("paglet-crashed", slot.agentId, slot.className, null, data, error);
        LOG.warn("agent {} crashed: {}", slot.agentId, error);
    }

    static void failAll(List<Delivery> deliveries, RuntimeException error) {
        deliveries.forEach(d -> d.reply().completeExceptionally(error));
    }
}
