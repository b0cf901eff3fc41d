package jaglets.runtime.internal.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.ArrivalMode;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.JagletProxyRef;
import jaglets.protocol.Envelope;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.WireError;
import jaglets.runtime.RequiredCode;
import jaglets.runtime.TransferTransport;
import jaglets.runtime.Transfers;
import jaglets.runtime.internal.child.ChildProcess;
import jaglets.runtime.internal.code.BundleRegistry;
import jaglets.runtime.internal.code.StoredBundle;
import jaglets.runtime.internal.events.EventLog;
import jaglets.runtime.internal.persistence.InactiveRecord;
import jaglets.runtime.internal.persistence.RecordStore;
import jaglets.runtime.internal.persistence.TransferStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target side of movement. A prepared arrival is stored on disk and held until the source's
 * decision; a committed one becomes the live agent (hooks {@code onArrival} or {@code onClone},
 * then {@code run()}) or, for arrival mode INACTIVE, an inactive record. A prepared arrival whose
 * source went quiet is resolved by asking the source, never by guessing.
 */
final class Arrivals {
    private static final Logger LOG = LoggerFactory.getLogger(Arrivals.class);
    /** How long a prepared arrival waits for its commit before this host asks the source. */
    static final Duration ASK_SOURCE_AFTER = Duration.ofSeconds(10);
    private static final Duration CODE_FETCH_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A prepared arrival; {@code staged}, when not null, loads the agent into a child meanwhile
     * (no hook runs before the commit), so that the commit only has to run the hook.
     */
    private record Pending(Envelope envelope, long preparedAtNanos, Staged staged) {
    }

    private record Staged(StoredBundle bundle, CompletableFuture<ChildProcess> child) {
    }

    private final HostSettings settings;
    private final AgentTable table;
    private final AgentLifecycle lifecycle;
    private final RecordStore store;
    private final TransferStore transfers;
    private final BundleRegistry registry;
    private final EventLog events;
    private final Supplier<TransferTransport> transport;
    private final ExecutorService background;
    private final Map<String, Pending> prepared = new ConcurrentHashMap<>();
    private final Set<String> landing = ConcurrentHashMap.newKeySet();

    Arrivals(HostSettings settings, AgentTable table, AgentLifecycle lifecycle, RecordStore store,
             TransferStore transfers, BundleRegistry registry, EventLog events, Supplier<TransferTransport> transport,
             ExecutorService background) {
        this.settings = settings;
        this.table = table;
        this.lifecycle = lifecycle;
        this.store = store;
        this.transfers = transfers;
        this.registry = registry;
        this.events = events;
        this.transport = transport;
        this.background = background;
    }

    // ---- prepare ------------------------------------------------------------------------------------

    /** Stores an arrival ({@code smile}: its envelope as received, or {@code null}) and stages its child. */
    void prepare(Envelope envelope, byte[] smile) {
        table.requireOpen();
        TransferStore.checkId(envelope.transferId());
        AgentTable.checkAgentId(envelope.agentId());
        if (prepared.containsKey(envelope.transferId())) {
            return;
        }
        requireFree(envelope);
        ensureBundle(envelope);
        // the agent's child loads it while its envelope goes to disk
        Pending pending = new Pending(envelope, System.nanoTime(), stage(envelope));
        try {
            transfers.writeIncoming(envelope, smile);
        } catch (RuntimeException e) {
            discard(pending);
            throw e;
        }
        prepared.put(envelope.transferId(), pending);
        LOG.info("agent {} prepared to arrive from {} (transfer {})", envelope.agentId(), envelope.sourceHostAddress(),
                envelope.transferId());
    }

    /**
     * Starts loading an agent that is to arrive active into a ready child, beside the rest of the
     * hand-over; nothing of the agent's runs but its constructor until the commit.
     */
    private Staged stage(Envelope envelope) {
        if (envelope.arrivalMode() == ArrivalMode.INACTIVE) {
            return null;
        }
        StoredBundle bundle = registry.choose(requiredCode(envelope)).orElse(null);
        if (bundle == null) {
            return null;
        }
        CompletableFuture<ChildProcess> child = lifecycle.stageChild(envelope.agentId(),
                lifecycle.loadBody(envelope.agentId(), envelope.className(), bundle, envelope.state(), loadHook(envelope)));
        return child == null ? null : new Staged(bundle, child);
    }

    /**
     * The staged child of this arrival if its load succeeded with the bundle chosen now and it
     * still runs; else it goes.
     */
    private ChildProcess stagedChild(Pending pending, StoredBundle bundle) {
        Staged staged = pending == null ? null : pending.staged();
        if (staged == null) {
            return null;
        }
        try {
            ChildProcess child = staged.child().get(settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
            // one that died while the arrival waited is replaced by a fresh load, not blamed on the agent
            if (staged.bundle().equals(bundle) && child.isAlive()) {
                return child;
            }
            lifecycle.releaseChild(child, null);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("agent {} was not loaded ahead of its arrival ({}); loading it now", pending.envelope().agentId(),
                    e.getMessage());
            discard(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discard(pending);
        }
        return null;
    }

    /** Lets the child of a staged arrival go (the arrival was dropped, or lands without it). */
    private void discard(Pending pending) {
        if (pending != null && pending.staged() != null) {
            pending.staged().child().thenAccept(child -> lifecycle.releaseChild(child, null));
        }
    }

    private static String loadHook(Envelope envelope) {
        return envelope.kind() == Envelope.Kind.CLONE ? "clone" : "arrival";
    }

    private void requireFree(Envelope envelope) {
        AgentSlot existing = table.slots.get(envelope.agentId());
        // an agent leaving this host right now may arrive here again (a move within the host)
        if (existing != null && existing.status != AgentSlot.Status.GONE
                && existing.status != AgentSlot.Status.DEPARTING) {
            throw new JagletException(ErrorType.CONFLICT, "agent " + envelope.agentId() + " already exists on "
                    + settings.name());
        }
        for (Pending other : prepared.values()) {
            if (other.envelope().agentId().equals(envelope.agentId())) {
                throw new JagletException(ErrorType.CONFLICT, "agent " + envelope.agentId() + " is already arriving on "
                        + settings.name() + " (transfer " + other.envelope().transferId() + ")");
            }
        }
    }

    /**
     * The agent's exact bundle version must be here, or one its declared compatibility admits:
     * using that avoids a fetch and is what the agent's bundle allows. If neither is, the exact
     * version is fetched from the source when the mesh is trusted (shared API key, or loopback)
     * and checked against the envelope's SHA-256; otherwise the arrival is refused naming what
     * this host has.
     */
    private void ensureBundle(Envelope envelope) {
        RequiredCode code = requiredCode(envelope);
        if (registry.choose(code).isPresent()) {
            return;
        }
        String name = envelope.bundleSymbolicName();
        String version = envelope.bundleVersion();
        TransferTransport remote = transport.get();
        String source = envelope.sourceHostAddress();
        if (envelope.bundleSha256() == null || remote == null || source.equals(settings.address())
                || !remote.mayFetchCodeFrom(source)) {
            throw new JagletException(ErrorType.CODE, "host " + settings.name() + " lacks bundle " + code.describe()
                    + (remote == null || envelope.bundleSha256() == null ? ""
                    : " and may fetch code only from a host that shares its API key or on loopback")
                    + "; it has " + lifecycle.bundles().installed());
        }
        Path jar = remote.fetchBundle(source, name, version, CODE_FETCH_TIMEOUT);
        try {
            String actual = BundleRegistry.sha256(jar);
            if (!actual.equalsIgnoreCase(envelope.bundleSha256())) {
                throw new JagletException(ErrorType.CODE, "bundle " + name + " " + version + " from " + source
                        + " has SHA-256 " + actual + ", not the announced " + envelope.bundleSha256() + "; refused");
            }
            StoredBundle deployed = registry.deploy(jar);
            if (!deployed.symbolicName().equals(name) || !deployed.version().equals(registry.find(name, version)
                    .map(StoredBundle::version).orElse(null))) {
                throw new JagletException(ErrorType.CODE, "the bundle fetched from " + source + " is "
                        + deployed.symbolicName() + " " + deployed.version() + ", not " + name + " " + version);
            }
            events.emit("bundle-fetched", envelope.agentId(), envelope.className(), null,
                    Map.of("symbolic_name", name, "version", version, "source", source), null);
        } finally {
            try {
                Files.deleteIfExists(jar);
            } catch (java.io.IOException e) {
                LOG.debug("could not remove fetched jar {}", jar);
            }
        }
    }

    // ---- commit and abort ---------------------------------------------------------------------------

    /**
     * The source released the agent: mark the arrival committed on disk, then bring it to life
     * and wait (at most {@code settle}) for its {@code run()} to return or for it to move on.
     * {@code null} when this host does not know the transfer (already done and forgotten).
     */
    JagletProxyRef commit(String transferId, Duration settle) {
        TransferStore.checkId(transferId);
        Pending pending = prepared.get(transferId);
        Envelope envelope;
        boolean committedOnDisk = false;
        if (pending != null) {
            envelope = pending.envelope();
        } else {
            var stored = transfers.readIncoming(transferId);
            if (stored.isEmpty()) {
                return null;
            }
            envelope = stored.get().envelope();
            committedOnDisk = stored.get().committed();
        }
        JagletProxyRef here = new JagletProxyRef(settings.address(), envelope.agentId());
        if (!landing.add(transferId)) {
            return here; // a repeated commit while the first one is landing the agent
        }
        AgentSlot slot;
        try {
            if (!committedOnDisk) {
                transfers.markCommitted(transferId);
            }
            slot = land(envelope, prepared.remove(transferId));
        } finally {
            landing.remove(transferId);
        }
        if (slot == null || slot.settled == null || settle.isZero()) {
            return here;
        }
        try {
            return slot.settled.get(settle.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return here;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return here;
        } catch (java.util.concurrent.ExecutionException e) {
            return here;
        }
    }

    void abort(String transferId) {
        TransferStore.checkId(transferId);
        Pending pending = prepared.remove(transferId);
        discard(pending);
        var stored = transfers.readIncoming(transferId);
        if (stored.isPresent() && !stored.get().committed()) {
            transfers.deleteIncoming(transferId);
            LOG.info("arrival of agent {} dropped (transfer {})", stored.get().envelope().agentId(), transferId);
        }
        if (pending != null) {
            Envelope envelope = pending.envelope();
            events.emit("transfer-aborted", envelope.agentId(), envelope.className(), null,
                    Map.of("transfer_id", transferId, "source", envelope.sourceHostAddress()), null);
        }
    }

    boolean isPrepared(String transferId) {
        return prepared.containsKey(transferId);
    }

    /**
     * Makes a committed arrival live here, or stores it inactive. An arrival whose hooks fail is
     * kept as an inactive record: after the source released it, this host is its only home.
     */
    private AgentSlot land(Envelope envelope, Pending pending) {
        String agentId = envelope.agentId();
        table.moved.arrived(agentId);
        AgentSlot landed = landedBefore(envelope);
        if (landed != null) {
            discard(pending);
            transfers.deleteIncoming(envelope.transferId());
            return landed;
        }
        AgentSlot slot;
        if (envelope.arrivalMode() == ArrivalMode.INACTIVE) {
            slot = storeInactive(envelope, DeactivationPolicy.DEFAULT, "arrival");
            // gone before the agent can leave again: a later restart must not land it twice
            transfers.deleteIncoming(envelope.transferId());
            emitArrival(envelope, false);
        } else {
            slot = startArrived(envelope, pending);
        }
        LOG.info("agent {} arrived (transfer {}, {})", agentId, envelope.transferId(),
                slot.status == AgentSlot.Status.INACTIVE ? "stored inactive" : "active");
        return slot;
    }

    /** The agent of this transfer is already stored here (a restart came between landing and forgetting it). */
    private AgentSlot landedBefore(Envelope envelope) {
        AgentSlot existing = table.slots.get(envelope.agentId());
        if (existing == null || existing.status != AgentSlot.Status.INACTIVE) {
            return null;
        }
        try {
            Object transfer = store.read(envelope.agentId()).request().metadata().get("transfer_id");
            return envelope.transferId().equals(transfer) ? existing : null;
        } catch (JagletException e) {
            return null;
        }
    }

    private static RequiredCode requiredCode(Envelope envelope) {
        return new RequiredCode(envelope.bundleSymbolicName(), envelope.bundleVersion(), envelope.className(),
                envelope.bundleCompatibility());
    }

    private AgentSlot startArrived(Envelope envelope, Pending pending) {
        String agentId = envelope.agentId();
        RequiredCode code = requiredCode(envelope);
        // chosen again at the commit: the version chosen at the prepare may have been replaced meanwhile
        StoredBundle bundle = registry.choose(code).orElse(null);
        AgentSlot slot = new AgentSlot(agentId, AgentSlot.Status.STARTING);
        slot.className = envelope.className();
        slot.bundleSymbolicName = envelope.bundleSymbolicName();
        slot.bundleVersion = envelope.bundleVersion();
        slot.bundleCompatibility = envelope.bundleCompatibility();
        slot.recordRead = true;
        slot.settled = new java.util.concurrent.CompletableFuture<>();
        slot.mailbox = lifecycle.messaging().newMailbox(slot);
        slot.mailbox.pause();
        boolean runStarted = false;
        slot.lock.lock();
        try {
            AgentSlot previous = table.slots.put(agentId, slot);
            if (previous != null && previous.status != AgentSlot.Status.GONE) {
                LOG.error("agent {} arrived while another agent with its id lives here ({})", agentId, previous.status);
            }
            try {
                ChildProcess staged = stagedChild(pending, bundle);
                if (bundle == null) {
                    throw new JagletException(ErrorType.CODE, "bundle " + code.describe() + " is gone from "
                            + settings.name() + "; it has " + lifecycle.bundles().installed());
                }
                ObjectNode load = lifecycle.loadBody(slot, bundle, staged == null ? envelope.state() : null,
                        loadHook(envelope));
                load.set("move", moveBody(envelope));
                if (staged == null) {
                    lifecycle.startChild(slot, load);
                } else {
                    // the child starts run() as soon as it has answered: one step fewer before the agent settles
                    load.put("run", true);
                    lifecycle.landStaged(slot, staged, load);
                    runStarted = true;
                }
            } catch (RuntimeException e) {
                JagletException error = WireError.asJagletException(e);
                LOG.warn("agent {} arrived but could not start ({}); it is kept here inactive", agentId, error.getMessage());
                table.failAll(slot.mailbox.close(), error);
                table.slots.remove(agentId, slot);
                AgentSlot stored = storeInactive(envelope, DeactivationPolicy.DEFAULT, "arrival-failed");
                transfers.deleteIncoming(envelope.transferId());
                events.emit("arrival-failed", agentId, envelope.className(), null,
                        Map.of("transfer_id", envelope.transferId(), "kind", envelope.kind().wireName()), error.getMessage());
                slot.settle(new JagletProxyRef(settings.address(), agentId));
                return stored;
            }
            lifecycle.bundles().runsOn(slot, code, bundle,
                    envelope.kind() == Envelope.Kind.CLONE ? "clone-arrival" : "arrival");
            slot.lastState = envelope.state();
            boolean active = slot.becomeActive();
            if (active) {
                slot.mailbox.resume();
            }
            emitArrival(envelope, true);
            if (active && !runStarted) {
                slot.child.notify(Ops.RUN, Json.object());
            }
            // gone before the agent can leave again (a later restart must not land it twice): every
            // departure takes the slot lock held here, and run() starts meanwhile
            transfers.deleteIncoming(envelope.transferId());
            return slot;
        } finally {
            slot.lock.unlock();
        }
    }

    private AgentSlot storeInactive(Envelope envelope, DeactivationPolicy policy, String why) {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("transfer_id", envelope.transferId());
        metadata.put("source_host_address", envelope.sourceHostAddress());
        // the recorded version and its policy: the bundle is chosen again when the agent activates
        InactiveRecord record = new InactiveRecord(envelope.agentId(), envelope.className(),
                envelope.bundleSymbolicName(), envelope.bundleVersion(), envelope.bundleCompatibility(),
                envelope.state(), policy,
                new DeactivationRequest(envelope.kind().wireName() + "-" + why, "transfer", policy, metadata),
                Instant.now(), List.of());
        store.write(record);
        AgentSlot slot = new AgentSlot(envelope.agentId(), AgentSlot.Status.INACTIVE);
        table.adoptRecord(slot, record);
        table.slots.put(envelope.agentId(), slot);
        return slot;
    }

    private void emitArrival(Envelope envelope, boolean active) {
        Map<String, Object> data = new HashMap<>();
        data.put("active", active);
        data.put("kind", envelope.kind().wireName());
        data.put("source", envelope.sourceHostAddress());
        data.put("transfer_id", envelope.transferId());
        if (envelope.cloneOf() != null) {
            data.put("clone_of", envelope.cloneOf());
        }
        events.emit(envelope.kind() == Envelope.Kind.CLONE ? "clone-arrival" : "arrival", envelope.agentId(),
                envelope.className(), null, data, null);
    }

    private ObjectNode moveBody(Envelope envelope) {
        ObjectNode move = Json.object();
        move.put("reason", switch (envelope.kind()) {
            case DISPATCH -> "dispatch";
            case RETRACT -> "retract";
            case CLONE -> "clone";
        });
        move.put("source_host_name", envelope.sourceHostName());
        move.put("source_host_address", envelope.sourceHostAddress());
        move.put("target_host_name", settings.name());
        move.put("target_host_address", settings.address());
        move.put("source_agent_id", envelope.cloneOf());
        move.put("clone_agent_id", envelope.kind() == Envelope.Kind.CLONE ? envelope.agentId() : null);
        return move;
    }

    // ---- recovery -----------------------------------------------------------------------------------

    /** At start: committed arrivals come to life, prepared ones wait for (or ask for) the decision. */
    void recover() {
        for (TransferStore.Incoming incoming : transfers.scanIncoming()) {
            Envelope envelope = incoming.envelope();
            if (incoming.committed()) {
                background.execute(() -> {
                    try {
                        commit(envelope.transferId(), Duration.ZERO);
                    } catch (RuntimeException e) {
                        LOG.error("committed arrival {} of agent {} could not be landed: {}", envelope.transferId(),
                                envelope.agentId(), e.getMessage());
                    }
                });
            } else {
                // already old: the source is asked at the next round
                prepared.put(envelope.transferId(), new Pending(envelope, System.nanoTime() - ASK_SOURCE_AFTER.toNanos(),
                        null));
            }
        }
    }

    /** Asks the sources of arrivals that waited too long which way their hand-over went. */
    void resolveStale(java.util.function.Function<Envelope, Transfers.Phase> askSource) {
        long now = System.nanoTime();
        for (Pending pending : List.copyOf(prepared.values())) {
            if (now - pending.preparedAtNanos() < ASK_SOURCE_AFTER.toNanos()) {
                continue;
            }
            Envelope envelope = pending.envelope();
            Transfers.Phase phase;
            try {
                phase = askSource.apply(envelope);
            } catch (RuntimeException e) {
                continue; // the source cannot be reached: keep waiting, never decide alone
            }
            switch (phase) {
                case RELEASED -> {
                    LOG.info("transfer {}: source released agent {}; completing the arrival", envelope.transferId(),
                            envelope.agentId());
                    commit(envelope.transferId(), Duration.ZERO);
                }
                case UNKNOWN -> {
                    LOG.info("transfer {}: source kept agent {}; dropping the arrival", envelope.transferId(),
                            envelope.agentId());
                    abort(envelope.transferId());
                }
                default -> {
                }
            }
        }
    }
}
