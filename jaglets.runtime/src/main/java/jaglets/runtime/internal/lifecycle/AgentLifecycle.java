package jaglets.runtime.internal.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentSummary;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.WireError;
import jaglets.protocol.WireFormat;
import jaglets.runtime.CreateRequest;
import jaglets.runtime.RequiredCode;
import jaglets.runtime.internal.child.ChildPool;
import jaglets.runtime.internal.child.ChildListener;
import jaglets.runtime.internal.child.ChildProcess;
import jaglets.runtime.internal.code.BundleRegistry;
import jaglets.runtime.internal.code.StoredBundle;
import jaglets.runtime.internal.events.EventLog;
import jaglets.runtime.internal.mailbox.Mailbox;
import jaglets.runtime.internal.persistence.InactiveRecord;
import jaglets.runtime.internal.persistence.QueuedMessage;
import jaglets.runtime.internal.persistence.RecordStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's way through its life on this host: creation in a child, deactivation to a durable
 * record, activation from it, disposal, leaving by its own decision, and being stored at
 * shutdown. Transitions of one agent hold its slot lock.
 */
final class AgentLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLifecycle.class);

    private final HostSettings settings;
    private final AgentTable table;
    private final RecordStore store;
    private final EventLog events;
    private final ChildPool pool;
    private final BundleRegistry registry;
    private final WorkDirs workDirs;
    private final ExecutorService background;
    private final ActivationTimer timer;
    private final MessageDelivery messaging;
    private final BundleChoice bundles;
    private ChildListener childCalls;

    AgentLifecycle(HostSettings settings, AgentTable table, RecordStore store, EventLog events, ChildPool pool,
                   BundleRegistry registry, WorkDirs workDirs, ExecutorService background) {
        this.settings = settings;
        this.table = table;
        this.store = store;
        this.events = events;
        this.pool = pool;
        this.registry = registry;
        this.workDirs = workDirs;
        this.background = background;
        this.timer = new ActivationTimer(this::activateByTimer);
        this.messaging = new MessageDelivery(table, store, events, settings, this);
        this.bundles = new BundleChoice(registry, events);
    }

    MessageDelivery messaging() {
        return messaging;
    }

    /** Which bundle runs an agent that arrives or activates here. */
    BundleChoice bundles() {
        return bundles;
    }

    ActivationTimer timer() {
        return timer;
    }

    /** Who serves the calls of the children this lifecycle starts. */
    void serveChildCallsWith(ChildListener listener) {
        this.childCalls = listener;
    }

    AgentSummary create(CreateRequest request) {
        table.requireOpen();
        if (request == null || request.className() == null || request.className().isBlank()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "creation needs an agent class name");
        }
        String agentId = request.agentId() == null || request.agentId().isBlank()
                ? AgentTable.newAgentId() : request.agentId();
        AgentTable.checkAgentId(agentId);
        StoredBundle bundle = registry.resolve(request.className(), request.bundleVersion());
        AgentSlot slot = new AgentSlot(agentId, AgentSlot.Status.STARTING);
        slot.className = request.className();
        slot.bundleSymbolicName = bundle.symbolicName();
        BundleChoice.runsOn(slot, bundle);
        slot.recordRead = true;
        slot.mailbox = messaging.newMailbox(slot);
        slot.mailbox.pause();
        if (table.slots.putIfAbsent(agentId, slot) != null) {
            throw new JagletException(ErrorType.CONFLICT, "an agent with id " + agentId + " already exists on "
                    + settings.name());
        }
        slot.lock.lock();
        try {
            JsonNode state = stateTree(request.state());
            ObjectNode load = loadBody(slot, bundle, state, "creation");
            load.set("init", Json.toTree(request.init()));
            startChild(slot, load);
            slot.lastState = state;
            slot.status = AgentSlot.Status.ACTIVE;
            slot.mailbox.resume();
            events.emit("create", agentId, slot.className, null,
                    Map.of("bundle", bundle.symbolicName() + " " + bundle.version()), null);
            slot.child.notify(Ops.RUN, Json.object());
            return table.summary(slot);
        } catch (RuntimeException e) {
            slot.status = AgentSlot.Status.GONE;
            table.slots.remove(agentId, slot);
            table.failAll(slot.mailbox.close(), e);
            throw e;
        } finally {
            slot.lock.unlock();
        }
    }

    private static JsonNode stateTree(Object state) {
        if (state == null) {
            return NullNode.getInstance();
        }
        if (state instanceof JsonNode node) {
            return node;
        }
        try {
            return Json.toTree(state);
        } catch (IllegalArgumentException e) {
            throw new JagletException(ErrorType.SERIALIZATION, "the initial state cannot be written as JSON: "
                    + e.getMessage());
        }
    }

    ObjectNode loadBody(AgentSlot slot, StoredBundle bundle, JsonNode state, String hook) {
        return loadBody(slot.agentId, slot.className, bundle, state, hook);
    }

    ObjectNode loadBody(String agentId, String className, StoredBundle bundle, JsonNode state, String hook) {
        ObjectNode load = Json.object();
        load.put("agent_id", agentId);
        load.put("class_name", className);
        load.set("bundles", Json.toTree(bundle.installPaths()));
        load.set("state", state);
        load.put("hook", hook);
        load.put("host_name", settings.name());
        load.put("host_address", settings.address());
        return load;
    }

    /** Takes a child, gives it the agent and waits for the lifecycle hook; kills it on failure. */
    void startChild(AgentSlot slot, ObjectNode load) {
        ChildProcess child = pool.take();
        child.assign(slot.agentId, childCalls);
        try {
            runInChild(slot, child, Ops.LOAD, load);
        } finally {
            pool.replenish();
        }
    }

    /** Gives {@code child} to the slot and waits for its answer to {@code op}; kills it on failure. */
    private void runInChild(AgentSlot slot, ChildProcess child, String op, ObjectNode body) {
        slot.child = child;
        try {
            await(child.request(op, body), op + " agent " + slot.agentId);
        } catch (RuntimeException e) {
            child.kill();
            slot.child = null;
            throw e;
        }
    }

    /**
     * Loads an arriving agent into a ready pool child without running its hook, while its
     * transfer waits for the source's decision; {@code null} when no child is ready (the commit
     * then loads the agent itself). The child is the agent's only once {@link #landStaged} ran.
     */
    CompletableFuture<ChildProcess> stageChild(String agentId, ObjectNode load) {
        ChildProcess child = pool.poll();
        if (child == null) {
            return null;
        }
        pool.replenish();
        child.assign(agentId, childCalls);
        load.put("staged", true);
        // sent from another thread: the frame of a large state is written while the caller stores the envelope
        return CompletableFuture.supplyAsync(() -> child.request(Ops.LOAD, load), background)
                .thenCompose(reply -> reply)
                .orTimeout(settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((reply, error) -> {
                    if (error != null) {
                        child.kill();
                        throw WireError.asJagletException(error);
                    }
                    return child;
                });
    }

    /** Gives a staged child to its agent's slot and runs the hook it left out; kills it on failure. */
    void landStaged(AgentSlot slot, ChildProcess child, ObjectNode hookBody) {
        runInChild(slot, child, Ops.LAND, hookBody);
    }

    AgentSummary deactivate(String agentId, DeactivationRequest request) {
        table.requireOpen();
        AgentSlot slot = table.requireSlot(agentId);
        DeactivationRequest req = request == null ? DeactivationRequest.external(null) : request;
        slot.lock.lock();
        try {
            switch (slot.status) {
                case INACTIVE -> {
                    return table.summary(slot);
                }
                case CRASHED -> throw table.crashedError(slot);
                case GONE -> throw table.unknownAgent(agentId);
                case ACTIVE -> {
                }
                default -> throw new JagletException(ErrorType.CONFLICT, "agent " + agentId + " is "
                        + slot.status.name().toLowerCase() + "; try again");
            }
            slot.status = AgentSlot.Status.DEACTIVATING;
            JsonNode reply;
            try {
                HostRuntime.await(slot.mailbox.pause(), settings.operationTimeout(), "agent " + agentId + " to finish its message");
                reply = await(slot.child.request(Ops.DEACTIVATE, deactivateBody(req)), "deactivate " + agentId);
            } catch (RuntimeException e) {
                if (slot.status == AgentSlot.Status.DEACTIVATING) {
                    slot.status = AgentSlot.Status.ACTIVE;
                    slot.mailbox.resume();
                }
                throw e;
            }
            writeInactive(slot, WireFormat.policy(reply.get("policy")), req, reply.get("state"));
            releaseChild(slot.child, null);
            return table.summary(slot);
        } finally {
            slot.lock.unlock();
        }
    }

    private static ObjectNode deactivateBody(DeactivationRequest request) {
        ObjectNode body = Json.object();
        body.set("request", WireFormat.request(request));
        return body;
    }

    /**
     * Stores the agent as inactive with every message still in its mailbox, then marks it
     * inactive. Callers hold the slot lock.
     */
    void writeInactive(AgentSlot slot, DeactivationPolicy policy, DeactivationRequest request, JsonNode state) {
        List<Delivery> leftovers = slot.mailbox.close();
        List<QueuedMessage> queued = new ArrayList<>();
        Instant now = Instant.now();
        leftovers.forEach(d -> queued.add(new QueuedMessage(d.message(), d.oneway(), now)));
        InactiveRecord record = new InactiveRecord(slot.agentId, slot.className, slot.bundleSymbolicName,
                slot.bundleVersion, slot.bundleCompatibility, state, policy, request, now, queued);
        try {
            store.write(record);
        } catch (RuntimeException e) {
            LOG.error("agent {} could not be stored; it stays active: {}", slot.agentId, e.getMessage());
            slot.mailbox = messaging.newMailbox(slot);
            leftovers.forEach(d -> slot.mailbox.submit(d, Mailbox.REPLAY_PRIORITY));
            slot.status = AgentSlot.Status.ACTIVE;
            throw e;
        }
        slot.generation++;
        slot.policy = policy;
        slot.lastState = state;
        slot.deactivatedAt = now;
        slot.status = AgentSlot.Status.INACTIVE;
        slot.settle(new jaglets.api.JagletProxyRef(settings.address(), slot.agentId));
        leftovers.forEach(d -> d.reply().complete(d.oneway() ? null : MessageDelivery.queuedReply(d.message())));
        if (policy.activateAt() != null) {
            timer.schedule(slot.agentId, policy.activateAt());
        }
        events.emit("deactivate", slot.agentId, slot.className, null,
                Map.of("reason", request.reason(), "queued_message_count", queued.size()), null);
    }

    /** Lets a child go once its current message (if any) has been answered. */
    void releaseChild(ChildProcess child, CompletableFuture<Void> afterInFlight) {
        if (child == null) {
            return;
        }
        CompletableFuture<Void> when = afterInFlight == null ? CompletableFuture.completedFuture(null) : afterInFlight;
        when.orTimeout(settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((v, e) -> child.terminate(Duration.ofSeconds(2)), background);
    }

    AgentSummary activate(String agentId) {
        table.requireOpen();
        AgentSlot slot = table.requireSlot(agentId);
        slot.lock.lock();
        try {
            activateLocked(slot, "explicit");
            return table.summary(slot);
        } finally {
            slot.lock.unlock();
        }
    }

    void activateQuietly(String agentId, String trigger) {
        try {
            AgentSlot slot = table.slots.get(agentId);
            if (slot == null || table.closing) {
                return;
            }
            slot.lock.lock();
            try {
                activateLocked(slot, trigger);
            } finally {
                slot.lock.unlock();
            }
        } catch (RuntimeException e) {
            LOG.warn("{} activation of agent {} failed: {}", trigger, agentId, e.getMessage());
            events.emit("activate-failed", agentId, null, null, Map.of("trigger", trigger), e.getMessage());
        }
    }

    void activateByTimer(String agentId) {
        AgentSlot slot = table.slots.get(agentId);
        if (slot != null && slot.status == AgentSlot.Status.INACTIVE) {
            background.execute(() -> activateQuietly(agentId, "timer"));
        }
    }

    /** Brings an inactive agent back in a child; queued messages go first. Callers hold the lock. */
    void activateLocked(AgentSlot slot, String trigger) {
        activateLocked(slot, trigger, true);
    }

    /**
     * As above; {@code startRun} false wakes an agent only to leave: its {@code run()} starts
     * where it arrives, or here if it stays after all.
     */
    void activateLocked(AgentSlot slot, String trigger, boolean startRun) {
        switch (slot.status) {
            case ACTIVE, STARTING, ACTIVATING -> {
                return;
            }
            case CRASHED -> throw table.crashedError(slot);
            case GONE -> throw table.unknownAgent(slot.agentId);
            case INACTIVE -> {
            }
            default -> throw new JagletException(ErrorType.CONFLICT, "agent " + slot.agentId + " is "
                    + slot.status.name().toLowerCase() + "; try again");
        }
        InactiveRecord record = store.read(slot.agentId);
        RequiredCode code = new RequiredCode(record.bundleSymbolicName(), record.bundleVersion(), record.className(),
                record.bundleCompatibility());
        // a record can outlive its version here: copied from another host, or a bundle store restored without it
        StoredBundle bundle = bundles.require(slot.agentId, code);
        table.adoptRecord(slot, record);
        slot.status = AgentSlot.Status.ACTIVATING;
        slot.mailbox = messaging.newMailbox(slot);
        slot.mailbox.pause();
        ObjectNode load = loadBody(slot, bundle, record.state(), "activation");
        load.set("request", WireFormat.request(record.request()));
        load.set("policy", WireFormat.policy(record.policy()));
        try {
            startChild(slot, load);
        } catch (RuntimeException e) {
            List<Delivery> waiting = slot.mailbox.close();
            slot.status = AgentSlot.Status.INACTIVE;
            table.failAll(waiting, e);
            throw new JagletException(e instanceof JagletException je ? je.type() : ErrorType.LIFECYCLE,
                    "activation of agent " + slot.agentId + " failed; it stays inactive: " + e.getMessage(), e);
        }
        long generation = ++slot.generation;
        bundles.runsOn(slot, code, bundle, "activation");
        slot.lastState = record.state();
        slot.status = AgentSlot.Status.ACTIVE;
        if (startRun) {
            slot.child.notify(Ops.RUN, Json.object());
        }
        List<CompletableFuture<Object>> replays = new ArrayList<>();
        for (QueuedMessage queued : record.queuedMessages()) {
            Delivery replay = new Delivery(queued.message(), true, new CompletableFuture<>());
            replays.add(replay.reply());
            slot.mailbox.submit(replay, Mailbox.REPLAY_PRIORITY);
        }
        slot.replayed = CompletableFuture.allOf(replays.toArray(CompletableFuture[]::new)).handle((v, e) -> null);
        slot.mailbox.resume();
        // the record goes only once its queued messages were handled, so a crash before replays them
        slot.replayed.thenRunAsync(() -> dropReplayedRecord(slot, generation), background);
        events.emit("activate", slot.agentId, slot.className, null,
                Map.of("trigger", trigger, "queued_message_count", record.queuedMessages().size()), null);
    }

    private void dropReplayedRecord(AgentSlot slot, long generation) {
        slot.lock.lock();
        try {
            if (slot.generation == generation && slot.status == AgentSlot.Status.ACTIVE) {
                store.delete(slot.agentId);
                LOG.debug("agent {} handled its queued messages; its record is removed", slot.agentId);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not remove the record of activated agent {}: {}", slot.agentId, e.getMessage());
        } finally {
            slot.lock.unlock();
        }
    }

    void dispose(String agentId) {
        table.requireOpen();
        AgentSlot slot = table.requireSlot(agentId);
        slot.lock.lock();
        try {
            switch (slot.status) {
                case ACTIVE -> {
                    slot.status = AgentSlot.Status.DISPOSING;
                    try {
                        HostRuntime.await(slot.mailbox.pause(), settings.operationTimeout(), "agent " + agentId + " to finish its message");
                        await(slot.child.request(Ops.DISPOSE, Json.object()), "dispose " + agentId);
                    } catch (RuntimeException e) {
                        if (slot.status == AgentSlot.Status.DISPOSING) {
                            slot.status = AgentSlot.Status.ACTIVE;
                            slot.mailbox.resume();
                        }
                        throw e;
                    }
                    forget(slot, true);
                    releaseChild(slot.child, null);
                }
                case INACTIVE, CRASHED -> {
                    boolean crashed = slot.status == AgentSlot.Status.CRASHED;
                    if (crashed && slot.child != null) {
                        slot.child.kill();
                    }
                    forget(slot, false);
                }
                case GONE -> throw table.unknownAgent(agentId);
                default -> throw new JagletException(ErrorType.CONFLICT, "agent " + agentId + " is "
                        + slot.status.name().toLowerCase() + "; try again");
            }
        } finally {
            slot.lock.unlock();
        }
    }

    /** Removes every trace of a disposed agent. Callers hold the slot lock. */
    void forget(AgentSlot slot, boolean wasActive) {
        boolean crashed = slot.status == AgentSlot.Status.CRASHED;
        slot.status = AgentSlot.Status.GONE;
        slot.generation++;
        slot.settle(new jaglets.api.JagletProxyRef(settings.address(), slot.agentId));
        table.failAll(slot.mailbox == null ? List.of() : slot.mailbox.close(), table.unknownAgent(slot.agentId));
        store.delete(slot.agentId);
        workDirs.delete(slot.agentId);
        table.slots.remove(slot.agentId, slot);
        Map<String, Object> data = new HashMap<>();
        data.put("active", wasActive);
        if (crashed) {
            data.put("crashed", true);
        }
        events.emit("dispose", slot.agentId, slot.className, null, data, null);
    }

    /** The agent deactivated itself from a handler or {@code run()}: store it, then let its child go. */
    void completeSelfDeactivation(AgentSlot slot, DeactivationRequest request, DeactivationPolicy policy,
                                  JsonNode state) {
        slot.lock.lock();
        try {
            if (slot.status != AgentSlot.Status.ACTIVE) {
                throw new JagletException(ErrorType.CONFLICT, "agent " + slot.agentId + " is "
                        + slot.status.name().toLowerCase() + " and cannot deactivate itself now");
            }
            slot.status = AgentSlot.Status.DEACTIVATING;
            CompletableFuture<Void> idle = slot.mailbox.pause();
            writeInactive(slot, policy, request, state);
            releaseChild(slot.child, idle);
        } finally {
            slot.lock.unlock();
        }
    }

    void completeSelfDisposal(AgentSlot slot) {
        slot.lock.lock();
        try {
            if (slot.status != AgentSlot.Status.ACTIVE) {
                throw new JagletException(ErrorType.CONFLICT, "agent " + slot.agentId + " is "
                        + slot.status.name().toLowerCase() + " and cannot dispose itself now");
            }
            CompletableFuture<Void> idle = slot.mailbox.pause();
            ChildProcess child = slot.child;
            forget(slot, true);
            releaseChild(child, idle);
        } finally {
            slot.lock.unlock();
        }
    }

    void persistForShutdown(AgentSlot slot, DeactivationRequest request) {
        slot.lock.lock();
        try {
            if (!slot.status.hasChild() || slot.child == null) {
                return;
            }
            ChildProcess child = slot.child;
            Duration grace = settings.shutdownGrace();
            long deadline = System.nanoTime() + grace.toNanos();
            slot.status = AgentSlot.Status.DEACTIVATING;
            JsonNode reply = null;
            try {
                slot.mailbox.pause().get(grace.toMillis(), TimeUnit.MILLISECONDS);
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                reply = child.request(Ops.DEACTIVATE, deactivateBody(request)).get(left, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("agent {} did not deactivate within {} at shutdown ({}); storing its last consistent state",
                        slot.agentId, grace, WireError.asJagletException(e).getMessage());
            }
            DeactivationPolicy policy;
            JsonNode state;
            if (reply != null) {
                policy = WireFormat.policy(reply.get("policy"));
                state = reply.get("state");
            } else {
                policy = request.policy();
                state = lastConsistentState(slot);
            }
            writeInactive(slot, policy, request, state);
            child.kill();
        } finally {
            slot.lock.unlock();
        }
    }

    private JsonNode lastConsistentState(AgentSlot slot) {
        try {
            JsonNode snapshot = slot.child.request(Ops.STATE, Json.object()).get(1, TimeUnit.SECONDS);
            if (snapshot.path("consistent").asBoolean()) {
                return snapshot.get("state");
            }
        } catch (Exception e) {
            // the child is stuck or gone; fall back to what the host holds
        }
        return slot.lastState == null ? NullNode.getInstance() : slot.lastState;
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        return HostRuntime.await(future, settings.operationTimeout(), what);
    }
}
