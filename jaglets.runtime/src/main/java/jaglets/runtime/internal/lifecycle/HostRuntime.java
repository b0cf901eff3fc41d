package jaglets.runtime.internal.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentStatus;
import jaglets.api.AgentSummary;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.JagletProxy;
import jaglets.api.MailboxStatus;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.WireError;
import jaglets.protocol.WireFormat;
import jaglets.runtime.AgentBundle;
import jaglets.runtime.AgentState;
import jaglets.runtime.CreateRequest;
import jaglets.runtime.Host;
import jaglets.runtime.HostEvent;
import jaglets.runtime.HostEventListener;
import jaglets.runtime.HostHealth;
import jaglets.runtime.internal.child.ChildPool;
import jaglets.runtime.internal.child.ChildProcess;
import jaglets.runtime.internal.code.BundleRegistry;
import jaglets.runtime.internal.code.StoredBundle;
import jaglets.runtime.internal.events.EventLog;
import jaglets.runtime.internal.mailbox.Mailbox;
import jaglets.runtime.internal.persistence.InactiveRecord;
import jaglets.runtime.internal.persistence.QueuedMessage;
import jaglets.runtime.internal.persistence.RecordStore;
import jaglets.runtime.internal.storage.ClassStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's agent engine: creation, messages, deactivation to disk, activation, disposal and
 * crash handling, each agent in its own child JVM. Free of OSGi so that it can be driven
 * directly; {@code HostComponent} wires it into the framework.
 */
public final class HostRuntime implements Host, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostRuntime.class);
    /** Agent ids are file names too: letters, digits, {@code ._-}, not starting with a dot. */
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private final HostSettings settings;
    private final ChildPool pool;
    private final BundleRegistry registry;
    private final RecordStore store;
    private final EventLog events;
    private final WorkDirs workDirs;
    private final Map<String, AgentSlot> slots = new ConcurrentHashMap<>();
    private final Map<String, Object> properties = new ConcurrentHashMap<>();
    private final ChildCalls childCalls;
    private final ActivationTimer timer;
    private final ExecutorService background = Executors.newCachedThreadPool(named("jaglets-host"));
    private volatile boolean closing;

    public HostRuntime(HostSettings settings, ChildPool pool, BundleRegistry registry) {
        this.settings = settings;
        this.pool = pool;
        this.registry = registry;
        this.store = new RecordStore(settings.dataDir().resolve("inactive"));
        this.events = new EventLog(settings.name(), settings.address(), settings.eventLogCapacity());
        this.workDirs = new WorkDirs(settings.dataDir().resolve("work"));
        this.childCalls = new ChildCalls(this, background);
        this.timer = new ActivationTimer(this::activateByTimer);
    }

    // ---- start and stop ---------------------------------------------------------------------

    /**
     * Loads the inactive records (ids only, plus the wake markers), starts the pool, schedules
     * timers and activates the agents whose policy says so in the background.
     */
    public void start() {
        workDirs.wipe();
        for (String id : store.scanIds()) {
            slots.put(id, new AgentSlot(id, AgentSlot.Status.INACTIVE));
        }
        List<String> startup = new ArrayList<>();
        store.scanWakes().forEach((id, wake) -> {
            if (wake.onStartup()) {
                startup.add(id);
            } else if (wake.at() != null) {
                timer.schedule(id, wake.at());
            }
        });
        pool.start();
        if (!startup.isEmpty()) {
            background.execute(() -> startup.forEach(id -> activateQuietly(id, "startup")));
        }
        events.emit("context-start", null, null, null, Map.of("inactive_count", slots.size()), null);
        LOG.info("host '{}' started with {} inactive agent(s), {} to activate now", settings.name(), slots.size(),
                startup.size());
    }

    /**
     * Persists every active agent (hook {@code onDeactivating} with reason {@code shutdown}); an
     * agent that does not finish within the grace is stored with its last consistent state.
     */
    @Override
    public void close() {
        closing = true;
        timer.close();
        DeactivationRequest request = new DeactivationRequest(DeactivationRequest.REASON_SHUTDOWN, "host",
                DeactivationPolicy.DEFAULT.withActivateOnStartup(true), Map.of());
        List<CompletableFuture<Void>> persisting = new ArrayList<>();
        for (AgentSlot slot : slots.values()) {
            if (slot.status == AgentSlot.Status.CRASHED && slot.child != null) {
                slot.child.kill();
            } else if (slot.status.hasChild()) {
                persisting.add(CompletableFuture.runAsync(() -> persistForShutdown(slot, request), background));
            }
        }
        try {
            CompletableFuture.allOf(persisting.toArray(CompletableFuture[]::new))
                    .get(settings.shutdownGrace().multipliedBy(3).toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("shutdown persistence did not finish for every agent: {}", e.toString());
        }
        events.emit("context-shutdown", null, null, null, Map.of("persisted", persisting.size()), null);
        background.shutdownNow();
    }

    private void persistForShutdown(AgentSlot slot, DeactivationRequest request) {
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

    // ---- create ---------------------------------------------------------------------------------

    @Override
    public AgentSummary create(CreateRequest request) {
        requireOpen();
        if (request == null || request.className() == null || request.className().isBlank()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "creation needs an agent class name");
        }
        String agentId = request.agentId() == null || request.agentId().isBlank()
                ? UUID.randomUUID().toString().replace("-", "") : request.agentId();
        checkAgentId(agentId);
        StoredBundle bundle = registry.resolve(request.className(), request.bundleVersion());
        AgentSlot slot = new AgentSlot(agentId, AgentSlot.Status.STARTING);
        slot.className = request.className();
        slot.bundleSymbolicName = bundle.symbolicName();
        slot.bundleVersion = bundle.version();
        slot.recordRead = true;
        slot.mailbox = newMailbox(slot);
        slot.mailbox.pause();
        if (slots.putIfAbsent(agentId, slot) != null) {
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
            return summary(slot);
        } catch (RuntimeException e) {
            slot.status = AgentSlot.Status.GONE;
            slots.remove(agentId, slot);
            failAll(slot.mailbox.close(), e);
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

    private ObjectNode loadBody(AgentSlot slot, StoredBundle bundle, JsonNode state, String hook) {
        ObjectNode load = Json.object();
        load.put("agent_id", slot.agentId);
        load.put("class_name", slot.className);
        load.set("bundles", Json.toTree(bundle.installPaths()));
        load.set("state", state);
        load.put("hook", hook);
        load.put("host_name", settings.name());
        load.put("host_address", settings.address());
        return load;
    }

    /** Takes a child, gives it the agent and waits for the lifecycle hook; kills it on failure. */
    private void startChild(AgentSlot slot, ObjectNode load) {
        ChildProcess child = pool.take();
        child.assign(slot.agentId, childCalls);
        slot.child = child;
        try {
            await(child.request(Ops.LOAD, load), "load agent " + slot.agentId);
        } catch (RuntimeException e) {
            child.kill();
            slot.child = null;
            throw e;
        }
    }

    // ---- messages -------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Object> send(String agentId, Message message, SendOptions options) {
        return deliver(agentId, message, options == null ? SendOptions.DEFAULT : options, false);
    }

    @Override
    public Object call(String agentId, Message message, SendOptions options) {
        SendOptions opts = options == null ? SendOptions.DEFAULT : options;
        Duration timeout = opts.timeout() == null ? settings.operationTimeout() : opts.timeout();
        return await(send(agentId, message, opts), timeout, "reply from " + agentId + " to '" + message.kind() + "'");
    }

    @Override
    public void sendOneway(String agentId, Message message, SendOptions options) {
        CompletableFuture<Object> accepted = deliver(agentId, message, options == null ? SendOptions.DEFAULT : options,
                true);
        if (accepted.isCompletedExceptionally()) {
            accepted.join();
        }
    }

    private CompletableFuture<Object> deliver(String agentId, Message message, SendOptions options, boolean oneway) {
        try {
            requireOpen();
            AgentSlot slot = requireSlot(agentId);
            if (Message.DEACTIVATE_KIND.equals(message.kind())) {
                Object requestArg = message.args().get("request");
                DeactivationRequest request = WireFormat.request(requestArg == null ? null : Json.toTree(requestArg));
                AgentSummary summary = deactivate(agentId, request);
                Map<String, Object> reply = new LinkedHashMap<>();
                reply.put("deactivated", true);
                reply.put("proxy", Map.of("host_url", settings.address(), "agent_id", summary.agentId()));
                return CompletableFuture.completedFuture(oneway ? null : reply);
            }
            Delivery delivery = new Delivery(message, oneway, new CompletableFuture<>());
            submit(slot, delivery, options);
            return delivery.reply();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void submit(AgentSlot slot, Delivery delivery, SendOptions options) {
        while (true) {
            AgentSlot.Status status = slot.status;
            switch (status) {
                case STARTING, ACTIVE, ACTIVATING, DEACTIVATING, DISPOSING -> {
                    try {
                        slot.mailbox.submit(delivery, delivery.message().priority());
                        return;
                    } catch (JagletException closed) {
                        Thread.onSpinWait(); // closed by a transition that is finishing: look again
                    }
                }
                case INACTIVE -> {
                    if (deliverToInactive(slot, delivery, options)) {
                        return;
                    }
                }
                case CRASHED -> throw crashedError(slot);
                case GONE -> throw unknownAgent(slot.agentId);
                default -> throw new IllegalStateException(status.name());
            }
        }
    }

    /** Returns false when the agent became active meanwhile and the caller should submit again. */
    private boolean deliverToInactive(AgentSlot slot, Delivery delivery, SendOptions options) {
        slot.lock.lock();
        try {
            if (slot.status != AgentSlot.Status.INACTIVE) {
                return false;
            }
            DeactivationPolicy policy = inactivePolicy(slot);
            if (options.noDelay()) {
                throw new JagletException(ErrorType.AGENT_INACTIVE, "agent " + slot.agentId + " is inactive on "
                        + settings.name() + " and no_delay forbids waiting; activate it first or send without no_delay");
            }
            if (options.activateIfInactive() && policy.activateOnMessage()) {
                activateLocked(slot, "message");
                return false;
            }
            if (!policy.queueMessagesWhenInactive()) {
                throw new JagletException(ErrorType.AGENT_INACTIVE, "agent " + slot.agentId + " is inactive on "
                        + settings.name() + " and its policy neither activates on messages nor queues them; "
                        + "activate it first");
            }
            Message message = delivery.message();
            store.appendQueued(slot.agentId, new QueuedMessage(message, delivery.oneway(), Instant.now()));
            events.emit("message-queued", slot.agentId, slot.className, message.messageId(),
                    Map.of("kind", message.kind()), null);
            delivery.reply().complete(delivery.oneway() ? null : queuedReply(message));
            return true;
        } finally {
            slot.lock.unlock();
        }
    }

    private static Map<String, Object> queuedReply(Message message) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("queued", true);
        reply.put("message_id", message.messageId());
        return reply;
    }

    private Mailbox<Delivery> newMailbox(AgentSlot slot) {
        return new Mailbox<>((delivery, done) -> {
            ChildProcess child = slot.child;
            if (child == null) {
                delivery.reply().completeExceptionally(crashedError(slot));
                done.finished(false);
                return;
            }
            ObjectNode body = Json.object();
            body.set("message", WireFormat.message(delivery.message()));
            body.put("oneway", delivery.oneway());
            child.request(Ops.MESSAGE, body).whenComplete((reply, error) -> {
                if (error != null) {
                    JagletException failure = WireError.asJagletException(error);
                    if (failure.type() == ErrorType.AGENT_CRASHED && !child.isReleased()
                            && child.awaitExit(Duration.ofSeconds(2))) {
                        // the channel closed because the JVM ended: record the crash before answering
                        markCrashed(slot, child.exitCode(), "its JVM exited with code " + child.exitCode());
                    }
                    if (slot.status == AgentSlot.Status.CRASHED) {
                        failure = crashedError(slot);
                    }
                    events.emit("message-failed", slot.agentId, slot.className, delivery.message().messageId(),
                            Map.of("kind", delivery.message().kind()), failure.getMessage());
                    delivery.reply().completeExceptionally(failure);
                    done.finished(false);
                } else {
                    events.emit("message-delivered", slot.agentId, slot.className, delivery.message().messageId(),
                            Map.of("kind", delivery.message().kind()), null);
                    delivery.reply().complete(delivery.oneway() ? null : Json.toPlain(reply.get("result")));
                    done.finished(true);
                }
            });
        });
    }

    // ---- deactivation -----------------------------------------------------------------------

    @Override
    public AgentSummary deactivate(String agentId, DeactivationRequest request) {
        requireOpen();
        AgentSlot slot = requireSlot(agentId);
        DeactivationRequest req = request == null ? DeactivationRequest.external(null) : request;
        slot.lock.lock();
        try {
            switch (slot.status) {
                case INACTIVE -> {
                    return summary(slot);
                }
                case CRASHED -> throw crashedError(slot);
                case GONE -> throw unknownAgent(agentId);
                case ACTIVE -> {
                }
                default -> throw new JagletException(ErrorType.CONFLICT, "agent " + agentId + " is "
                        + slot.status.name().toLowerCase() + "; try again");
            }
            slot.status = AgentSlot.Status.DEACTIVATING;
            JsonNode reply;
            try {
                await(slot.mailbox.pause(), settings.operationTimeout(), "agent " + agentId + " to finish its message");
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
            return summary(slot);
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
                slot.bundleVersion, state, policy, request, now, queued);
        try {
            store.write(record);
        } catch (RuntimeException e) {
            LOG.error("agent {} could not be stored; it stays active: {}", slot.agentId, e.getMessage());
            slot.mailbox = newMailbox(slot);
            leftovers.forEach(d -> slot.mailbox.submit(d, Mailbox.REPLAY_PRIORITY));
            slot.status = AgentSlot.Status.ACTIVE;
            throw e;
        }
        slot.generation++;
        slot.policy = policy;
        slot.lastState = state;
        slot.deactivatedAt = now;
        slot.status = AgentSlot.Status.INACTIVE;
        leftovers.forEach(d -> d.reply().complete(d.oneway() ? null : queuedReply(d.message())));
        if (policy.activateAt() != null) {
            timer.schedule(slot.agentId, policy.activateAt());
        }
        events.emit("deactivate", slot.agentId, slot.className, null,
                Map.of("reason", request.reason(), "queued_message_count", queued.size()), null);
    }

    /** Lets a child go once its current message (if any) has been answered. */
    private void releaseChild(ChildProcess child, CompletableFuture<Void> afterInFlight) {
        if (child == null) {
            return;
        }
        CompletableFuture<Void> when = afterInFlight == null ? CompletableFuture.completedFuture(null) : afterInFlight;
        when.orTimeout(settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((v, e) -> child.terminate(Duration.ofSeconds(2)), background);
    }

    // ---- activation -------------------------------------------------------------------------

    @Override
    public AgentSummary activate(String agentId) {
        requireOpen();
        AgentSlot slot = requireSlot(agentId);
        slot.lock.lock();
        try {
            activateLocked(slot, "explicit");
            return summary(slot);
        } finally {
            slot.lock.unlock();
        }
    }

    private void activateQuietly(String agentId, String trigger) {
        try {
            AgentSlot slot = slots.get(agentId);
            if (slot == null || closing) {
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

    private void activateByTimer(String agentId) {
        AgentSlot slot = slots.get(agentId);
        if (slot != null && slot.status == AgentSlot.Status.INACTIVE) {
            background.execute(() -> activateQuietly(agentId, "timer"));
        }
    }

    /** Brings an inactive agent back in a child; queued messages go first. Callers hold the lock. */
    private void activateLocked(AgentSlot slot, String trigger) {
        switch (slot.status) {
            case ACTIVE, STARTING, ACTIVATING -> {
                return;
            }
            case CRASHED -> throw crashedError(slot);
            case GONE -> throw unknownAgent(slot.agentId);
            case INACTIVE -> {
            }
            default -> throw new JagletException(ErrorType.CONFLICT, "agent " + slot.agentId + " is "
                    + slot.status.name().toLowerCase() + "; try again");
        }
        InactiveRecord record = store.read(slot.agentId);
        StoredBundle bundle = registry.find(record.bundleSymbolicName(), record.bundleVersion())
                .orElseThrow(() -> new JagletException(ErrorType.CODE, "agent " + slot.agentId + " needs bundle "
                        + record.bundleSymbolicName() + " " + record.bundleVersion() + ", which this host lacks; it has "
                        + registry.list().stream().map(b -> b.symbolicName() + " " + b.version()).toList()));
        adoptRecord(slot, record);
        slot.status = AgentSlot.Status.ACTIVATING;
        slot.mailbox = newMailbox(slot);
        slot.mailbox.pause();
        ObjectNode load = loadBody(slot, bundle, record.state(), "activation");
        load.set("request", WireFormat.request(record.request()));
        load.set("policy", WireFormat.policy(record.policy()));
        try {
            startChild(slot, load);
        } catch (RuntimeException e) {
            List<Delivery> waiting = slot.mailbox.close();
            slot.status = AgentSlot.Status.INACTIVE;
            failAll(waiting, e);
            throw new JagletException(e instanceof JagletException je ? je.type() : ErrorType.LIFECYCLE,
                    "activation of agent " + slot.agentId + " failed; it stays inactive: " + e.getMessage(), e);
        }
        long generation = ++slot.generation;
        slot.lastState = record.state();
        slot.status = AgentSlot.Status.ACTIVE;
        slot.child.notify(Ops.RUN, Json.object());
        List<CompletableFuture<Object>> replays = new ArrayList<>();
        for (QueuedMessage queued : record.queuedMessages()) {
            Delivery replay = new Delivery(queued.message(), true, new CompletableFuture<>());
            replays.add(replay.reply());
            slot.mailbox.submit(replay, Mailbox.REPLAY_PRIORITY);
        }
        slot.mailbox.resume();
        // the record goes only once its queued messages were handled, so a crash before replays them
        CompletableFuture.allOf(replays.toArray(CompletableFuture[]::new))
                .handle((v, e) -> null)
                .thenRunAsync(() -> dropReplayedRecord(slot, generation), background);
        events.emit("activate", slot.agentId, slot.className, null,
                Map.of("trigger", trigger, "queued_message_count", record.queuedMessages().size()), null);
    }

    private void dropReplayedRecord(AgentSlot slot, long generation) {
        slot.lock.lock();
        try {
            if (slot.generation == generation && slot.status == AgentSlot.Status.ACTIVE) {
                store.delete(slot.agentId);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not remove the record of activated agent {}: {}", slot.agentId, e.getMessage());
        } finally {
            slot.lock.unlock();
        }
    }

    private void adoptRecord(AgentSlot slot, InactiveRecord record) {
        slot.className = record.className();
        slot.bundleSymbolicName = record.bundleSymbolicName();
        slot.bundleVersion = record.bundleVersion();
        slot.policy = record.policy();
        slot.deactivatedAt = record.deactivatedAt();
        slot.recordRead = true;
    }

    private DeactivationPolicy inactivePolicy(AgentSlot slot) {
        if (!slot.recordRead || slot.policy == null) {
            adoptRecord(slot, store.read(slot.agentId));
        }
        return slot.policy;
    }

    // ---- disposal -----------------------------------------------------------------------------

    @Override
    public void dispose(String agentId) {
        requireOpen();
        AgentSlot slot = requireSlot(agentId);
        slot.lock.lock();
        try {
            switch (slot.status) {
                case ACTIVE -> {
                    slot.status = AgentSlot.Status.DISPOSING;
                    try {
                        await(slot.mailbox.pause(), settings.operationTimeout(), "agent " + agentId + " to finish its message");
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
                case GONE -> throw unknownAgent(agentId);
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
        failAll(slot.mailbox == null ? List.of() : slot.mailbox.close(), unknownAgent(slot.agentId));
        store.delete(slot.agentId);
        workDirs.delete(slot.agentId);
        slots.remove(slot.agentId, slot);
        Map<String, Object> data = new HashMap<>();
        data.put("active", wasActive);
        if (crashed) {
            data.put("crashed", true);
        }
        events.emit("dispose", slot.agentId, slot.className, null, data, null);
    }

    // ---- calls from the agent itself (see ChildCalls) ------------------------------------------

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

    AgentSlot slotOf(ChildProcess child) {
        String id = child.agentId();
        AgentSlot slot = id == null ? null : slots.get(id);
        return slot != null && slot.child == child ? slot : null;
    }

    Map<String, Object> properties() {
        return properties;
    }

    WorkDirs workDirs() {
        return workDirs;
    }

    HostSettings settings() {
        return settings;
    }

    ClassStorage storageFor(AgentSlot slot, long quotaBytes) {
        long quota = quotaBytes == -2 ? settings.storageQuotaBytes() : quotaBytes;
        return new ClassStorage(settings.dataDir().resolve("storage").resolve(ClassStorage.classKey(slot.className)),
                quota);
    }

    // ---- queries --------------------------------------------------------------------------------

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public String address() {
        return settings.address();
    }

    @Override
    public AgentSummary agent(String agentId) {
        return summary(requireSlot(agentId));
    }

    @Override
    public List<AgentSummary> agents(AgentStatus which) {
        List<AgentSummary> result = new ArrayList<>();
        for (AgentSlot slot : slots.values()) {
            boolean inactive = slot.status == AgentSlot.Status.INACTIVE;
            if (which == AgentStatus.ALL || (which == AgentStatus.INACTIVE) == inactive) {
                try {
                    result.add(summary(slot));
                } catch (JagletException e) {
                    // disposed while listing
                }
            }
        }
        result.sort(Comparator.comparing(AgentSummary::agentId));
        return result;
    }

    @Override
    public AgentState state(String agentId) {
        AgentSlot slot = requireSlot(agentId);
        if (slot.status == AgentSlot.Status.INACTIVE) {
            InactiveRecord record = store.read(agentId);
            return new AgentState(summary(slot), Json.toPlain(record.state()), true, record.policy(),
                    record.queuedMessages().size());
        }
        ChildProcess child = slot.child;
        if (slot.status == AgentSlot.Status.ACTIVE && child != null) {
            try {
                JsonNode snapshot = child.request(Ops.STATE, Json.object()).get(2, TimeUnit.SECONDS);
                boolean consistent = snapshot.path("consistent").asBoolean();
                if (consistent) {
                    slot.lastState = snapshot.get("state");
                }
                return new AgentState(summary(slot), Json.toPlain(snapshot.get("state")), consistent, null, 0);
            } catch (Exception e) {
                // fall back to the last consistent state below
            }
        }
        return new AgentState(summary(slot), Json.toPlain(slot.lastState), true, null, 0);
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

    @Override
    public JagletProxy proxy(String agentId) {
        requireSlot(agentId);
        return new LocalProxy(this, agentId);
    }

    @Override
    public List<HostEvent> events(long sinceEventId, int limit) {
        return events.since(sinceEventId, limit);
    }

    @Override
    public void addListener(HostEventListener listener) {
        events.addListener(listener);
    }

    @Override
    public void removeListener(HostEventListener listener) {
        events.removeListener(listener);
    }

    EventLog eventLog() {
        return events;
    }

    // ---- bundles ------------------------------------------------------------------------------

    @Override
    public List<AgentBundle> bundles() {
        return registry.list().stream().map(b -> BundleRegistry.view(b, agentsUsing(b.symbolicName(), b.version())))
                .toList();
    }

    @Override
    public AgentBundle deploy(Path bundleJar) {
        StoredBundle stored = registry.deploy(bundleJar);
        events.emit("bundle-deploy", null, null, null,
                Map.of("symbolic_name", stored.symbolicName(), "version", stored.version()), null);
        return BundleRegistry.view(stored, agentsUsing(stored.symbolicName(), stored.version()));
    }

    @Override
    public void uninstall(String symbolicName, String version) {
        registry.uninstall(symbolicName, version, agentsUsing(symbolicName, version));
        events.emit("bundle-uninstall", null, null, null, Map.of("symbolic_name", symbolicName, "version", version),
                null);
    }

    /** Active and inactive agents that run this bundle version (reads records not read yet). */
    private int agentsUsing(String symbolicName, String version) {
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

    @Override
    public HostHealth health() {
        int active = 0;
        int inactive = 0;
        int crashed = 0;
        for (AgentSlot slot : slots.values()) {
            switch (slot.status) {
                case INACTIVE -> inactive++;
                case CRASHED -> crashed++;
                case GONE -> {
                }
                default -> active++;
            }
        }
        return new HostHealth(settings.name(), settings.address(), active, inactive, crashed, pool.readyCount(),
                pool.archiveReady(), settings.dataDir().toString());
    }

    // ---- helpers --------------------------------------------------------------------------------

    private AgentSlot requireSlot(String agentId) {
        if (agentId == null) {
            throw unknownAgent("null");
        }
        AgentSlot slot = slots.get(agentId);
        if (slot == null || slot.status == AgentSlot.Status.GONE) {
            throw unknownAgent(agentId);
        }
        return slot;
    }

    private JagletException unknownAgent(String agentId) {
        return new JagletException(ErrorType.INVALID_AGENT, "no agent '" + agentId + "' on host " + settings.name());
    }

    private JagletException crashedError(AgentSlot slot) {
        return new JagletException(ErrorType.AGENT_CRASHED, "agent " + slot.agentId + " crashed"
                + (slot.exitCode == null ? "" : " (exit code " + slot.exitCode + ")")
                + (slot.error == null ? "" : ": " + slot.error) + "; inspect it or dispose it");
    }

    private static void checkAgentId(String agentId) {
        if (!AGENT_ID.matcher(agentId).matches()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "agent id '" + agentId + "' is not allowed: use 1 to 128 "
                    + "letters, digits, '.', '_' or '-', not starting with '.'");
        }
    }

    private void requireOpen() {
        if (closing) {
            throw new JagletException(ErrorType.HOST, "host " + settings.name() + " is shutting down");
        }
    }

    private static void failAll(List<Delivery> deliveries, RuntimeException error) {
        deliveries.forEach(d -> d.reply().completeExceptionally(error));
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        return await(future, settings.operationTimeout(), what);
    }

    static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw WireError.asJagletException(e.getCause());
        } catch (TimeoutException e) {
            throw new JagletException(ErrorType.TIMEOUT, "no answer within " + timeout + " waiting for " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JagletException(ErrorType.TIMEOUT, "interrupted waiting for " + what);
        }
    }

    static java.util.concurrent.ThreadFactory named(String prefix) {
        java.util.concurrent.atomic.AtomicInteger counter = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
