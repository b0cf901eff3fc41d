package jaglets.runtime.internal.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.JagletProxyRef;
import jaglets.api.TransferTicket;
import jaglets.protocol.Envelope;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.WireError;
import jaglets.runtime.TransferTransport;
import jaglets.runtime.internal.child.ChildProcess;
import jaglets.runtime.internal.code.BundleRegistry;
import jaglets.runtime.internal.events.EventLog;
import jaglets.runtime.internal.persistence.RecordStore;
import jaglets.runtime.internal.persistence.TransferStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source side of movement: preflight, the agent's leaving hooks, and the hand-over
 * <ol>
 * <li>the envelope is stored here ({@code offered}), so a crash of this host cannot lose it;</li>
 * <li>the target stores it too and says so ({@code prepare});</li>
 * <li>this host releases its copy ({@code released}: the decision);</li>
 * <li>the target brings the agent to life ({@code commit}).</li>
 * </ol>
 * A failure before step 3 leaves the agent here, active. After step 3 the hand-over is finished
 * by retries, from this host or the target, until both agree; the agent is never live twice.
 */
final class AgentMoves {
    private static final Logger LOG = LoggerFactory.getLogger(AgentMoves.class);

    /** A resolved and checked target. */
    record Target(String url, String name, boolean local) {
        ObjectNode toWire() {
            ObjectNode node = Json.object();
            node.put("url", url);
            node.put("name", name);
            return node;
        }
    }

    private final HostSettings settings;
    private final AgentTable table;
    private final AgentLifecycle lifecycle;
    private final RecordStore store;
    private final TransferStore transfers;
    private final Arrivals arrivals;
    private final BundleRegistry registry;
    private final EventLog events;
    private final WorkDirs workDirs;
    private final MovePreflight preflight;
    private final TransferRecovery recovery;
    private final Forwarder forwarder;
    private final Executor background;
    /** Offers on their way, by transfer id: a target that asks about one hears "offered". */
    private final Map<String, Boolean> liveOffers = new ConcurrentHashMap<>();
    /** Released agents whose decision is not on disk yet: a target that asks hears "released". */
    private final Set<String> releasing = ConcurrentHashMap.newKeySet();

    /**
     * An agent that left: its envelope, the messages that were still waiting for it here, and the
     * storing of the decision (done, or under way beside the commit).
     */
    private record Departure(Envelope envelope, List<Delivery> waiting, CompletableFuture<Void> decision) {
    }

    /** Sends a message that waited here to the agent's new place. */
    interface Forwarder {
        void forward(JagletProxyRef location, Delivery delivery);
    }

    AgentMoves(HostSettings settings, AgentTable table, AgentLifecycle lifecycle, RecordStore store,
               TransferStore transfers, Arrivals arrivals, BundleRegistry registry, EventLog events, WorkDirs workDirs,
               Supplier<TransferTransport> transport, TransferRecovery recovery, Forwarder forwarder,
               Executor background) {
        this.settings = settings;
        this.table = table;
        this.lifecycle = lifecycle;
        this.store = store;
        this.transfers = transfers;
        this.arrivals = arrivals;
        this.registry = registry;
        this.events = events;
        this.workDirs = workDirs;
        this.preflight = new MovePreflight(settings, events, transport);
        this.recovery = recovery;
        this.forwarder = forwarder;
        this.background = background;
    }

    /** Resolves the ticket's destination and checks it can take the agent; nothing is changed. */
    Target preflight(AgentSlot slot, Envelope.Kind kind, TransferTicket ticket) {
        return preflight.check(slot, kind, ticket);
    }

    // ---- dispatch and retract ---------------------------------------------------------------------

    /** A dispatch or retract driven from outside the agent. */
    JagletProxyRef dispatch(String agentId, TransferTicket ticket, Envelope.Kind kind) {
        table.requireOpen();
        AgentSlot slot = table.requireSlot(agentId);
        if (!slot.recordRead && slot.status == AgentSlot.Status.INACTIVE) {
            table.summary(slot);
        }
        Target target = preflight(slot, kind, ticket);
        Departure sent;
        slot.lock.lock();
        try {
            DeactivationPolicy resting = null;
            if (slot.status == AgentSlot.Status.INACTIVE) {
                // its record stays until the release below, so it is never only in memory
                resting = table.inactivePolicy(slot);
                lifecycle.activateLocked(slot, kind.wireName(), false);
            }
            requireActive(slot);
            // messages queued while it rested travel handled, in its state
            HostRuntime.await(slot.replayed, settings.operationTimeout(), "agent " + agentId + " to handle its queued messages");
            slot.status = AgentSlot.Status.DEPARTING;
            JsonNode state;
            try {
                HostRuntime.await(slot.mailbox.pause(), settings.operationTimeout(),
                        "agent " + agentId + " to finish its message");
                state = HostRuntime.await(slot.child.request(Ops.DEPART, departBody(kind, target)),
                        settings.operationTimeout(), "agent " + agentId + " to prepare its " + kind.wireName())
                        .get("state");
            } catch (RuntimeException e) {
                backToActive(slot);
                if (resting != null) {
                    slot.child.notify(Ops.RUN, Json.object()); // it stays awake after all
                }
                throw e;
            }
            sent = offerAndRelease(slot, target, ticket, kind, state, null, resting);
        } finally {
            slot.lock.unlock();
        }
        return commit(slot, target, sent);
    }

    /** The agent dispatched itself from a handler or {@code run()}; its hooks have run. */
    JagletProxyRef completeSelfDispatch(AgentSlot slot, TransferTicket ticket, Target target, JsonNode state) {
        Departure sent;
        slot.lock.lock();
        try {
            requireActive(slot);
            slot.status = AgentSlot.Status.DEPARTING;
            // the calling handler is the message in flight: the child goes once it has returned
            CompletableFuture<Void> idle = slot.mailbox.pause();
            sent = offerAndRelease(slot, target, ticket, Envelope.Kind.DISPATCH, state, idle, null);
        } finally {
            slot.lock.unlock();
        }
        return commit(slot, target, sent);
    }

    private ObjectNode departBody(Envelope.Kind kind, Target target) {
        ObjectNode body = Json.object();
        body.set("move", moveBody(kind == Envelope.Kind.RETRACT ? "retract" : "dispatch", target));
        return body;
    }

    ObjectNode moveBody(String reason, Target target) {
        ObjectNode move = Json.object();
        move.put("reason", reason);
        move.put("source_host_name", settings.name());
        move.put("source_host_address", settings.address());
        move.put("target_host_name", target.name());
        move.put("target_host_address", target.url());
        return move;
    }

    private void requireActive(AgentSlot slot) {
        switch (slot.status) {
            case ACTIVE -> {
            }
            case CRASHED -> throw table.crashedError(slot);
            case GONE -> throw table.unknownAgent(slot.agentId);
            default -> throw new JagletException(ErrorType.CONFLICT, "agent " + slot.agentId + " is "
                    + slot.status.name().toLowerCase() + "; try again");
        }
    }

    /**
     * A move that did not happen leaves the agent as it was: an agent woken only to leave is
     * stored again with its own policy (and the state it was about to travel with); an active
     * one goes back to work.
     */
    private void stayHere(AgentSlot slot, DeactivationPolicy resting, JsonNode state) {
        if (resting == null || slot.status != AgentSlot.Status.DEPARTING) {
            backToActive(slot);
            return;
        }
        ChildProcess child = slot.child;
        lifecycle.writeInactive(slot, resting, new DeactivationRequest("transfer-failed", "transfer", resting, Map.of()),
                state);
        lifecycle.releaseChild(child, null);
        LOG.info("agent {} did not move and is stored here again", slot.agentId);
    }

    private void backToActive(AgentSlot slot) {
        if (slot.status == AgentSlot.Status.DEPARTING) {
            slot.status = AgentSlot.Status.ACTIVE;
            slot.mailbox.resume();
        }
    }

    /**
     * Steps 1 to 3 under the slot lock: store the envelope (agents that rest on disk here), have the
     * target store it, decide. Any failure before the decision leaves the agent as it was.
     *
     * <p>The decision of an agent that rests on disk here is stored before its child goes: until
     * then its offer is its only durable copy. One that lives only in its child is lost with this
     * host anyway until the target has it, so its decision is stored while the commit goes out
     * (one forced write off the move's path), and meanwhile this host says "released" from memory.
     */
    private Departure offerAndRelease(AgentSlot slot, Target target, TransferTicket ticket, Envelope.Kind kind,
                                      JsonNode state, CompletableFuture<Void> idle, DeactivationPolicy restingPolicy) {
        Envelope envelope = new Envelope(newTransferId(), kind, slot.agentId, null, slot.className,
                slot.bundleSymbolicName, slot.bundleVersion, bundleSha256(slot), slot.bundleCompatibility, state,
                settings.name(), settings.address(), target.name(), target.url(), ticket.arrivalMode());
        // an agent with a record here rests on disk: its offer keeps it durable until the decision;
        // one that lives only in its child needs no file before the decision (a crash loses it anyway)
        boolean resting = store.exists(slot.agentId);
        try {
            if (resting) {
                transfers.writeOffer(target.url(), envelope, false, restingPolicy);
            }
            liveOffers.put(envelope.transferId(), Boolean.TRUE);
        } catch (RuntimeException e) {
            stayHere(slot, restingPolicy, state);
            throw failed(slot, kind, target, "store", e);
        }
        try {
            prepareWithRetries(slot, target, ticket, envelope);
            if (resting) {
                // the record goes before the decision: from here the offer holds a resting agent
                store.delete(slot.agentId);
                transfers.markReleased(target.url(), envelope);
            } else {
                releasing.add(envelope.transferId());
            }
        } catch (RuntimeException e) {
            forgetOffer(envelope.transferId());
            recovery.abortLater(target, envelope.transferId());
            stayHere(slot, restingPolicy, state);
            throw e instanceof JagletException je && je.type() != ErrorType.HOST ? je
                    : failed(slot, kind, target, "release", e);
        } finally {
            liveOffers.remove(envelope.transferId());
        }
        CompletableFuture<Void> decision = resting ? CompletableFuture.completedFuture(null)
                : storeDecision(target, envelope);
        return new Departure(envelope, release(slot, target, envelope, idle), decision);
    }

    /** Stores the release of an agent that lived only in its child, beside the commit. */
    private CompletableFuture<Void> storeDecision(Target target, Envelope envelope) {
        String transferId = envelope.transferId();
        Runnable write = () -> transfers.markReleased(target.url(), envelope);
        CompletableFuture<Void> written;
        try {
            written = CompletableFuture.runAsync(write, background);
        } catch (RejectedExecutionException e) {
            written = CompletableFuture.runAsync(write, Runnable::run); // the host is closing: write it here
        }
        return written.whenComplete((done, error) -> {
            if (error == null) {
                releasing.remove(transferId);
            } else {
                // the commit, or its retries from memory, still finish the hand-over
                LOG.error("transfer {} of agent {}: the release could not be stored ({}); a restart before "
                        + "the commit gets through loses the agent", transferId, envelope.agentId(),
                        error.getMessage());
            }
        });
    }

    private void prepareWithRetries(AgentSlot slot, Target target, TransferTicket ticket, Envelope envelope) {
        int attempts = ticket.retries() + 1;
        for (int attempt = 1; ; attempt++) {
            try {
                if (target.local()) {
                    arrivals.prepare(envelope, null);
                } else {
                    preflight.transport().prepare(target.url(), envelope, ticket.timeout());
                }
                return;
            } catch (RuntimeException e) {
                JagletException error = WireError.asJagletException(e);
                Map<String, Object> data = new HashMap<>();
                data.put("stage", "prepare");
                data.put("attempt", attempt + "/" + attempts);
                data.put("target", target.url());
                events.emit("transfer-failed", slot.agentId, slot.className, null, data, error.getMessage());
                boolean refused = error.type() == ErrorType.CODE || error.type() == ErrorType.CONFLICT
                        || error.type() == ErrorType.BAD_REQUEST || error.type() == ErrorType.AUTHENTICATION;
                if (attempt >= attempts || refused) {
                    throw new JagletException(refused ? error.type() : ErrorType.TRANSFER, "transfer of agent "
                            + slot.agentId + " to " + target.url() + " failed after " + attempt + " attempt(s): "
                            + error.getMessage() + "; the agent stays on " + settings.name(), error);
                }
                sleep(ticket.retryInterval());
            }
        }
    }

    /** The agent is no longer here: its child goes; returns the messages that waited for it. */
    private List<Delivery> release(AgentSlot slot, Target target, Envelope envelope, CompletableFuture<Void> idle) {
        JagletProxyRef location = new JagletProxyRef(target.url(), slot.agentId);
        slot.status = AgentSlot.Status.GONE;
        slot.generation++;
        table.moved.moved(slot.agentId, location);
        table.slots.remove(slot.agentId, slot);
        List<Delivery> waiting = slot.mailbox.close();
        lifecycle.releaseChild(slot.child, idle);
        workDirs.delete(slot.agentId);
        Map<String, Object> data = new HashMap<>();
        data.put("target", target.url());
        data.put("transfer_id", envelope.transferId());
        events.emit(envelope.kind().wireName(), slot.agentId, slot.className, null, data, null);
        LOG.info("agent {} released to {} (transfer {})", slot.agentId, target.url(), envelope.transferId());
        return waiting;
    }

    /** Step 4, outside the slot lock: the target makes the agent live; failures are retried later. */
    private JagletProxyRef commit(AgentSlot departed, Target target, Departure departure) {
        Envelope envelope = departure.envelope();
        JagletProxyRef here = new JagletProxyRef(target.url(), envelope.agentId());
        JagletProxyRef location;
        try {
            JagletProxyRef answer = commitAt(target, envelope.transferId(), settings.transferSettle(),
                    settings.transferSettle().plus(settings.operationTimeout()));
            location = answer == null ? here : answer;
            releasing.remove(envelope.transferId());
            // the files go once the decision is written, should it still be under way
            departure.decision().whenComplete((done, error) -> recovery.forgetLater(envelope.transferId()));
        } catch (RuntimeException e) {
            LOG.warn("transfer {} of agent {} to {}: the commit did not get through ({}); retrying in the background",
                    envelope.transferId(), envelope.agentId(), target.url(), e.getMessage());
            recovery.commitLater(target, envelope.transferId());
            location = here;
        }
        JagletProxyRef finalPlace = location;
        departure.waiting().forEach(d -> forwarder.forward(finalPlace, d));
        departed.settle(location);
        return location;
    }

    // ---- clone --------------------------------------------------------------------------------------

    JagletProxyRef cloneAgent(String agentId, TransferTicket ticket) {
        table.requireOpen();
        AgentSlot slot = table.requireSlot(agentId);
        requireActive(slot);
        Target target = preflight(slot, Envelope.Kind.CLONE, ticket);
        String cloneId = AgentTable.newAgentId();
        ObjectNode body = Json.object();
        ObjectNode move = moveBody("clone", target);
        move.put("source_agent_id", agentId);
        move.put("clone_agent_id", cloneId);
        body.set("move", move);
        JsonNode state = HostRuntime.await(slot.child.request(Ops.CLONING, body), settings.operationTimeout(),
                "agent " + agentId + " to prepare its clone").get("state");
        JagletProxyRef copy = completeClone(slot, ticket, target, cloneId, state);
        HostRuntime.await(slot.child.request(Ops.CLONED, body), settings.operationTimeout(),
                "agent " + agentId + " to hear of its clone");
        return copy;
    }

    /**
     * The copy's hand-over. The source keeps its agent, so nothing is released: while the copy is
     * prepared and committed this host answers for the transfer from memory, and it stores the
     * decision only when the commit does not get through, for the retries to outlive a restart.
     */
    JagletProxyRef completeClone(AgentSlot slot, TransferTicket ticket, Target target, String cloneId, JsonNode state) {
        AgentTable.checkAgentId(cloneId);
        Envelope envelope = new Envelope(newTransferId(), Envelope.Kind.CLONE, cloneId, slot.agentId, slot.className,
                slot.bundleSymbolicName, slot.bundleVersion, bundleSha256(slot), slot.bundleCompatibility, state,
                settings.name(), settings.address(), target.name(), target.url(), ticket.arrivalMode());
        liveOffers.put(envelope.transferId(), Boolean.TRUE);
        try {
            prepareWithRetries(slot, target, ticket, envelope);
            Map<String, Object> data = new HashMap<>();
            data.put("target", target.url());
            data.put("clone_id", cloneId);
            data.put("transfer_id", envelope.transferId());
            events.emit("clone", slot.agentId, slot.className, null, data, null);
            JagletProxyRef here = new JagletProxyRef(target.url(), cloneId);
            try {
                JagletProxyRef answer = commitAt(target, envelope.transferId(), Duration.ZERO,
                        settings.operationTimeout());
                return answer == null ? here : answer;
            } catch (RuntimeException e) {
                commitCloneLater(slot, target, envelope, e);
                return here;
            }
        } finally {
            liveOffers.remove(envelope.transferId());
        }
    }

    /**
     * The hand-over's commit at the target, within this host or over HTTP; {@code null} when the
     * target no longer knows the transfer.
     */
    private JagletProxyRef commitAt(Target target, String transferId, Duration settle, Duration callTimeout) {
        return target.local() ? arrivals.commit(transferId, settle)
                : preflight.transport().commit(target.url(), transferId, settle, callTimeout);
    }

    /** The clone's commit did not get through: store the decision, then retry in the background. */
    private void commitCloneLater(AgentSlot slot, Target target, Envelope envelope, RuntimeException cause) {
        try {
            transfers.markReleased(target.url(), envelope);
        } catch (RuntimeException e) {
            recovery.abortLater(target, envelope.transferId());
            throw failed(slot, Envelope.Kind.CLONE, target, "release", e);
        }
        LOG.warn("transfer {} of a clone of {} to {}: the commit did not get through ({}); retrying in the background",
                envelope.transferId(), slot.agentId, target.url(), cause.getMessage());
        recovery.commitLater(target, envelope.transferId());
    }

    // ---- retract ------------------------------------------------------------------------------------

    JagletProxyRef retract(String hostUrl, String agentId) {
        table.requireOpen();
        TransferTransport remote = preflight.transport();
        String url = remote.resolve(hostUrl);
        if (url.equals(settings.address())) {
            throw new JagletException(ErrorType.BAD_REQUEST, "agent " + agentId + " is to be retracted from "
                    + url + ", which is this host");
        }
        return remote.requestRetract(url, agentId, settings.address(),
                settings.transferSettle().plus(settings.operationTimeout()));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Whether this host is in the middle of offering this transfer (not yet decided). */
    boolean isOffering(String transferId) {
        return liveOffers.containsKey(transferId);
    }

    /** Whether this host released this transfer's agent and its decision is not on disk yet. */
    boolean isReleasing(String transferId) {
        return releasing.contains(transferId);
    }

    private String bundleSha256(AgentSlot slot) {
        return registry.find(slot.bundleSymbolicName, slot.bundleVersion).map(b -> b.sha256()).orElse(null);
    }

    private void forgetOffer(String transferId) {
        try {
            transfers.deleteOutgoing(transferId);
        } catch (RuntimeException e) {
            // a leftover offer is resolved as aborted when the host restarts
            LOG.warn("could not remove the offer of transfer {}: {}", transferId, e.getMessage());
        }
    }

    private JagletException failed(AgentSlot slot, Envelope.Kind kind, Target target, String stage, RuntimeException e) {
        JagletException error = WireError.asJagletException(e);
        events.emit("transfer-failed", slot.agentId, slot.className, null,
                Map.of("stage", stage, "kind", kind.wireName(), "target", target.url()), error.getMessage());
        return new JagletException(ErrorType.TRANSFER, kind.wireName() + " of agent " + slot.agentId + " to "
                + target.url() + " failed: " + error.getMessage() + "; the agent stays on " + settings.name(), error);
    }

    /** Transfer ids have the form of agent ids: 32 hex digits, unique. */
    static String newTransferId() {
        return AgentTable.newAgentId();
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JagletException(ErrorType.TRANSFER, "interrupted between transfer attempts");
        }
    }
}
