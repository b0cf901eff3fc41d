package jaglets.runtime.internal.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentStatus;
import jaglets.api.AgentSummary;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.JagletProxy;
import jaglets.api.JagletProxyRef;
import jaglets.api.Message;
import jaglets.api.TransferTicket;
import jaglets.protocol.Envelope;
import jaglets.api.SendOptions;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.WireError;
import jaglets.runtime.AgentBundle;
import jaglets.runtime.AgentListing;
import jaglets.runtime.AgentState;
import jaglets.runtime.CreateRequest;
import jaglets.runtime.Host;
import jaglets.runtime.HostEvent;
import jaglets.runtime.HostEventListener;
import jaglets.runtime.HostDirectory;
import jaglets.runtime.HostHealth;
import jaglets.runtime.TransferTransport;
import jaglets.runtime.Transfers;
import jaglets.runtime.RemoteAgents;
import jaglets.runtime.internal.child.ChildPool;
import jaglets.runtime.internal.child.ChildProcess;
import jaglets.runtime.internal.code.BundleRegistry;
import jaglets.runtime.internal.code.StoredBundle;
import jaglets.runtime.internal.events.EventLog;
import jaglets.runtime.internal.persistence.InactiveRecord;
import jaglets.runtime.internal.persistence.RecordStore;
import jaglets.runtime.internal.persistence.TransferStore;
import jaglets.runtime.internal.storage.ClassStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's agent engine, each agent in its own child JVM: {@link AgentLifecycle} moves agents
 * between states, {@link MessageDelivery} carries their messages, {@link AgentTable} knows them
 * all. Free of OSGi so that it can be driven directly; {@code HostComponent} wires it into the
 * framework.
 */
public final class HostRuntime implements Host, Transfers, AutoCloseable {
    /** What every host offers; announced in its health, checked by tickets' required capabilities. */
    public static final List<String> CAPABILITIES = List.of("agents:list", "agents:state", "agents:create",
            "agents:message", "agents:activate", "agents:deactivate", "agents:dispose", "agents:dispatch",
            "agents:clone", "agents:retract", "transfers", "events:list", "hosts:list", "hosts:join", "bundles:list",
            "bundles:deploy", "bundles:uninstall", "bundles:fetch");

    private static final Logger LOG = LoggerFactory.getLogger(HostRuntime.class);

    private final HostSettings settings;
    private final ChildPool pool;
    private final BundleRegistry registry;
    private final RecordStore store;
    private final EventLog events;
    private final WorkDirs workDirs;
    private final AgentTable table;
    private final Map<String, Object> properties = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newCachedThreadPool(named("jaglets-host"));
    private final AgentLifecycle lifecycle;
    private final MessageDelivery messaging;
    private final TransferStore transferStore;
    private final Arrivals arrivals;
    private final TransferRecovery recovery;
    private final AgentMoves moves;
    private volatile RemoteAgents remoteAgents;
    private volatile TransferTransport transport;
    private volatile HostDirectory directory;

    public HostRuntime(HostSettings settings, ChildPool pool, BundleRegistry registry) {
        this.settings = settings;
        this.pool = pool;
        this.registry = registry;
        this.store = new RecordStore(settings.dataDir().resolve("inactive"));
        this.events = new EventLog(settings.name(), settings.address(), settings.eventLogCapacity());
        this.workDirs = new WorkDirs(settings.dataDir().resolve("work"));
        this.table = new AgentTable(settings, store, events);
        this.lifecycle = new AgentLifecycle(settings, table, store, events, pool, registry, workDirs, background);
        this.messaging = lifecycle.messaging();
        this.transferStore = new TransferStore(settings.dataDir().resolve("transfers"));
        this.arrivals = new Arrivals(settings, table, lifecycle, store, transferStore, registry, events,
                () -> transport, background);
        this.recovery = new TransferRecovery(settings, transferStore, store, table, events, () -> transport);
        recovery.useArrivals(arrivals, this::sourcePhase);
        this.moves = new AgentMoves(settings, table, lifecycle, store, transferStore, arrivals, registry, events,
                workDirs, () -> transport, recovery, this::forward, background);
        lifecycle.serveChildCallsWith(new ChildCalls(this, table, lifecycle, moves, background));
    }

    // ---- start and stop ---------------------------------------------------------------------

    /**
     * Loads the inactive records (ids only, plus the wake markers), starts the pool, schedules
     * timers and activates the agents whose policy says so in the background.
     */
    public void start() {
        workDirs.wipe();
        recovery.recoverOutgoing();
        for (String id : store.scanIds()) {
            table.slots.put(id, new AgentSlot(id, AgentSlot.Status.INACTIVE));
        }
        List<String> startup = new ArrayList<>();
        store.scanWakes().forEach((id, wake) -> {
            if (wake.onStartup()) {
                startup.add(id);
            } else if (wake.at() != null) {
                lifecycle.timer().schedule(id, wake.at());
            }
        });
        pool.onReady(child -> child.request(Ops.PRELOAD, preloadBody()));
        pool.start();
        arrivals.recover();
        recovery.start();
        if (!startup.isEmpty()) {
            background.execute(() -> startup.forEach(id -> lifecycle.activateQuietly(id, "startup")));
        }
        events.emit("context-start", null, null, null, Map.of("inactive_count", table.slots.size()), null);
        LOG.info("host '{}' started with {} inactive agent(s), {} to activate now", settings.name(), table.slots.size(),
                startup.size());
    }

    /**
     * Persists every active agent (hook {@code onDeactivating} with reason {@code shutdown}); an
     * agent that does not finish within the grace is stored with its last consistent state.
     */
    @Override
    public void close() {
        table.closing = true;
        lifecycle.timer().close();
        recovery.close();
        DeactivationRequest request = new DeactivationRequest(DeactivationRequest.REASON_SHUTDOWN, "host",
                DeactivationPolicy.DEFAULT.withActivateOnStartup(true), Map.of());
        List<CompletableFuture<Void>> persisting = new ArrayList<>();
        for (AgentSlot slot : table.slots.values()) {
            if (slot.status == AgentSlot.Status.CRASHED && slot.child != null) {
                slot.child.kill();
            } else if (slot.status.hasChild()) {
                persisting.add(CompletableFuture.runAsync(() -> lifecycle.persistForShutdown(slot, request), background));
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

    // ---- operations, each owned by the lifecycle or the message path ----------------------------

    @Override
    public AgentSummary create(CreateRequest request) {
        return lifecycle.create(request);
    }

    @Override
    public CompletableFuture<Object> send(String agentId, Message message, SendOptions options) {
        return messaging.send(agentId, message, options);
    }

    @Override
    public Object call(String agentId, Message message, SendOptions options) {
        return messaging.call(agentId, message, options);
    }

    @Override
    public void sendOneway(String agentId, Message message, SendOptions options) {
        messaging.sendOneway(agentId, message, options);
    }

    @Override
    public AgentSummary deactivate(String agentId, DeactivationRequest request) {
        return lifecycle.deactivate(agentId, request);
    }

    @Override
    public AgentSummary activate(String agentId) {
        return lifecycle.activate(agentId);
    }

    @Override
    public void dispose(String agentId) {
        lifecycle.dispose(agentId);
    }

    // ---- movement -------------------------------------------------------------------------------

    @Override
    public JagletProxyRef dispatch(String agentId, TransferTicket ticket) {
        return moves.dispatch(agentId, requireTicket(ticket), Envelope.Kind.DISPATCH);
    }

    @Override
    public JagletProxyRef cloneAgent(String agentId, TransferTicket ticket) {
        return moves.cloneAgent(agentId, ticket == null ? TransferTicket.to(null) : ticket);
    }

    @Override
    public JagletProxyRef retract(String hostUrl, String agentId) {
        return moves.retract(hostUrl, agentId);
    }

    @Override
    public JagletProxyRef retractTo(String agentId, String targetUrl) {
        return moves.dispatch(agentId, TransferTicket.to(targetUrl), Envelope.Kind.RETRACT);
    }

    private static TransferTicket requireTicket(TransferTicket ticket) {
        if (ticket == null) {
            throw new JagletException(ErrorType.BAD_REQUEST, "a dispatch needs a ticket with a destination");
        }
        return ticket;
    }

    @Override
    public void prepare(Envelope envelope, byte[] smile) {
        arrivals.prepare(envelope, smile);
    }

    @Override
    public JagletProxyRef commit(String transferId, Duration settle) {
        return arrivals.commit(transferId, settle == null ? settings.transferSettle() : settle);
    }

    @Override
    public void abort(String transferId) {
        arrivals.abort(transferId);
    }

    /** The source's answer first: a target asks the source which way a hand-over went. */
    @Override
    public Phase phase(String transferId) {
        Phase asSource = sourcePhase(transferId);
        return asSource == Phase.UNKNOWN && arrivals.isPrepared(transferId) ? Phase.PREPARED : asSource;
    }

    /** What this host knows of a transfer as its source: offered, released, or nothing. */
    private Phase sourcePhase(String transferId) {
        TransferStore.checkId(transferId);
        if (moves.isOffering(transferId)) {
            return Phase.OFFERED;
        }
        if (moves.isReleasing(transferId)) {
            return Phase.RELEASED;
        }
        return transferStore.readOutgoing(transferId).map(o -> o.released() ? Phase.RELEASED : Phase.OFFERED)
                .orElse(Phase.UNKNOWN);
    }

    @Override
    public Path bundleJar(String symbolicName, String version) {
        String normalized;
        try {
            normalized = org.osgi.framework.Version.parseVersion(version).toString();
        } catch (IllegalArgumentException e) {
            throw new JagletException(ErrorType.BAD_REQUEST, "'" + version + "' is not a bundle version");
        }
        return registry.find(symbolicName, normalized).map(StoredBundle::jar)
                .orElseThrow(() -> new JagletException(ErrorType.CODE, "no agent bundle " + symbolicName + " "
                        + version + " on " + settings.name()));
    }

    /** Messages that waited for an agent while it left go after it. */
    private void forward(JagletProxyRef location, Delivery delivery) {
        background.execute(() -> {
            try {
                Message message = delivery.message();
                Object result = null;
                if (location.hostUrl().equals(settings.address())) {
                    if (delivery.oneway()) {
                        messaging.sendOneway(location.agentId(), message, SendOptions.DEFAULT);
                    } else {
                        result = messaging.call(location.agentId(), message, SendOptions.DEFAULT);
                    }
                } else if (delivery.oneway()) {
                    remoteAgents().sendOneway(location.hostUrl(), location.agentId(), message, SendOptions.DEFAULT);
                } else {
                    result = remoteAgents().send(location.hostUrl(), location.agentId(), message, SendOptions.DEFAULT);
                }
                delivery.reply().complete(result);
            } catch (RuntimeException e) {
                delivery.reply().completeExceptionally(e);
            }
        });
    }

    /** How this host moves agents to other hosts; {@code null} when it cannot. */
    public void useTransport(TransferTransport newTransport) {
        this.transport = newTransport;
    }

    /** The mesh as agents see it; {@code null} without a mesh. */
    public void useDirectory(HostDirectory newDirectory) {
        this.directory = newDirectory;
    }

    HostDirectory directory() {
        return directory;
    }

    /** Most pool children will run one of these: the newest deployed version of each agent bundle. */
    private static final int PRELOADED_BUNDLES = 4;

    private JsonNode preloadBody() {
        ObjectNode body = Json.object();
        var bundles = body.putArray("bundles");
        java.util.Set<String> names = new java.util.HashSet<>();
        for (StoredBundle bundle : registry.list()) {
            if (bundle.deployed() && names.add(bundle.symbolicName()) && names.size() <= PRELOADED_BUNDLES) {
                ObjectNode entry = bundles.addObject();
                entry.set("paths", Json.toTree(bundle.installPaths()));
                entry.set("classes", Json.toTree(bundle.classes()));
            }
        }
        return body;
    }

    /** How this host reaches agents on other hosts; {@code null} when it cannot. */
    public void useRemoteAgents(RemoteAgents remote) {
        this.remoteAgents = remote;
    }

    RemoteAgents remoteAgents() {
        RemoteAgents remote = remoteAgents;
        if (remote == null) {
            throw new JagletException(ErrorType.REMOTE_HOST, "host " + settings.name()
                    + " has no HTTP client to reach other hosts");
        }
        return remote;
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
        return table.summary(table.requireSlot(agentId));
    }

    @Override
    public List<AgentSummary> agents(AgentStatus which) {
        return agents(which, 0, Integer.MAX_VALUE).agents();
    }

    /**
     * A page of the listing, in agent id order. Only the agents of the page are summarised, so a
     * page of a host with many inactive agents reads only its own records.
     */
    @Override
    public AgentListing agents(AgentStatus which, int offset, int limit) {
        List<AgentSlot> matching = new ArrayList<>();
        for (AgentSlot slot : table.slots.values()) {
            boolean inactive = slot.status == AgentSlot.Status.INACTIVE;
            if (slot.status != AgentSlot.Status.GONE
                    && (which == AgentStatus.ALL || (which == AgentStatus.INACTIVE) == inactive)) {
                matching.add(slot);
            }
        }
        matching.sort(Comparator.comparing(slot -> slot.agentId));
        int from = Math.min(Math.max(offset, 0), matching.size());
        int to = (int) Math.min(matching.size(), (long) from + Math.max(limit, 0));
        List<AgentSummary> page = new ArrayList<>(to - from);
        for (AgentSlot slot : matching.subList(from, to)) {
            try {
                page.add(table.summary(slot));
            } catch (JagletException e) {
                // disposed while listing
            }
        }
        return new AgentListing(page, matching.size());
    }

    @Override
    public AgentState state(String agentId) {
        AgentSlot slot = table.requireSlot(agentId);
        if (slot.status == AgentSlot.Status.INACTIVE) {
            InactiveRecord record = store.read(agentId);
            return new AgentState(table.summary(slot), Json.toPlain(record.state()), true, record.policy(),
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
                return new AgentState(table.summary(slot), Json.toPlain(snapshot.get("state")), consistent, null, 0);
            } catch (Exception e) {
                // fall back to the last consistent state below
            }
        }
        return new AgentState(table.summary(slot), Json.toPlain(slot.lastState), true, null, 0);
    }


    /** A proxy for a place: local when it is this host. */
    JagletProxy resolveProxy(JagletProxyRef location) {
        if (location.hostUrl() == null || location.hostUrl().equals(settings.address())) {
            return new LocalProxy(this, location.agentId());
        }
        return new RemoteProxy(this, location.hostUrl(), location.agentId());
    }

    @Override
    public JagletProxy proxy(String agentId) {
        table.requireSlot(agentId);
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
        return registry.list().stream().map(b -> BundleRegistry.view(b, table.agentsUsing(b.symbolicName(), b.version())))
                .toList();
    }

    @Override
    public AgentBundle deploy(Path bundleJar) {
        StoredBundle stored = registry.deploy(bundleJar);
        events.emit("bundle-deploy", null, null, null,
                Map.of("symbolic_name", stored.symbolicName(), "version", stored.version()), null);
        return BundleRegistry.view(stored, table.agentsUsing(stored.symbolicName(), stored.version()));
    }

    @Override
    public void uninstall(String symbolicName, String version) {
        registry.uninstall(symbolicName, version, table.agentsUsing(symbolicName, version));
        events.emit("bundle-uninstall", null, null, null, Map.of("symbolic_name", symbolicName, "version", version),
                null);
    }


    @Override
    public HostHealth health() {
        int active = 0;
        int inactive = 0;
        int crashed = 0;
        for (AgentSlot slot : table.slots.values()) {
            switch (slot.status) {
                case INACTIVE -> inactive++;
                case CRASHED -> crashed++;
                case GONE -> {
                }
                default -> active++;
            }
        }
        return new HostHealth(settings.name(), settings.address(), active, inactive, crashed, pool.readyCount(),
                pool.archiveReady(), settings.dataDir().toString(), CAPABILITIES);
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
