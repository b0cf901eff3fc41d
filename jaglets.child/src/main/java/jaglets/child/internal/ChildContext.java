package jaglets.child.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentStatus;
import jaglets.api.CloneEvent;
import jaglets.api.HostInfo;
import jaglets.api.MobilityEvent;
import jaglets.api.TransferTicket;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.Jaglet;
import jaglets.api.JagletContext;
import jaglets.api.JagletException;
import jaglets.api.JagletProxy;
import jaglets.api.JagletProxyRef;
import jaglets.api.PersistencyEvent;
import jaglets.api.PersistentStorage;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.RpcPeer;
import jaglets.protocol.WireError;
import jaglets.protocol.WireFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The agent's context inside the child: every host service is a call over the channel. */
final class ChildContext implements JagletContext {

    /** How long a context call waits for the host when no other timeout applies. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);

    private final String agentId;
    private final String hostName;
    private final String hostAddress;
    private final RpcPeer peer;
    private final Jaglet<Object> jaglet;
    private volatile boolean terminal;
    private volatile Path workDir;

    ChildContext(String agentId, String hostName, String hostAddress, RpcPeer peer, Jaglet<Object> jaglet) {
        this.agentId = agentId;
        this.hostName = hostName;
        this.hostAddress = hostAddress;
        this.peer = peer;
        this.jaglet = jaglet;
    }

    @Override
    public String hostName() {
        return hostName;
    }

    @Override
    public String hostAddress() {
        return hostAddress;
    }

    @Override
    public String agentId() {
        return agentId;
    }

    /** Whether this agent has left (deactivated or disposed itself). */
    boolean isTerminal() {
        return terminal;
    }

    @Override
    public Optional<JagletProxy> proxy(String id) {
        try {
            call(Ops.CTX_AGENT_INFO, idBody(id), CALL_TIMEOUT);
            return Optional.of(new ChildProxy(this, id));
        } catch (JagletException e) {
            if (e.type() == ErrorType.INVALID_AGENT) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<JagletProxy> proxies(AgentStatus which) {
        ObjectNode body = Json.object();
        body.put("which", which.name());
        List<JagletProxy> proxies = new ArrayList<>();
        call(Ops.CTX_PROXIES, body, CALL_TIMEOUT).path("agent_ids")
                .forEach(id -> proxies.add(new ChildProxy(this, id.asText())));
        return proxies;
    }

    @Override
    public JagletProxy resolve(JagletProxyRef ref) {
        return proxyFor(ref);
    }

    @Override
    public JagletProxy create(String className, String bundleVersion, Object state, Object init) {
        ObjectNode body = Json.object();
        body.put("class_name", className);
        body.put("bundle_version", bundleVersion);
        body.set("state", Json.toTree(state));
        body.set("init", Json.toTree(init));
        String id = call(Ops.CTX_CREATE, body, CALL_TIMEOUT).path("agent_id").asText();
        return new ChildProxy(this, id);
    }

    @Override
    public void deactivate(DeactivationRequest request) {
        ObjectNode prepared = prepareDeactivation(request);
        prepared.set("request", WireFormat.request(request));
        terminal = true;
        try {
            call(Ops.CTX_COMPLETE_DEACTIVATE, prepared, CALL_TIMEOUT);
        } catch (JagletException e) {
            terminal = false;
            throw e;
        }
    }

    @Override
    public void dispose() {
        prepareDisposal();
        terminal = true;
        call(Ops.CTX_COMPLETE_DISPOSE, Json.object(), CALL_TIMEOUT);
    }

    /** Policy, {@code onDeactivating}, resource cleanup, then a snapshot: {@code {policy, state}}. */
    ObjectNode prepareDeactivation(DeactivationRequest request) {
        DeactivationPolicy policy = jaglet.deactivationPolicy(request);
        if (policy == null) {
            throw new JagletException(ErrorType.LIFECYCLE, jaglet.getClass().getName()
                    + ".deactivationPolicy returned null; return a DeactivationPolicy");
        }
        jaglet.onDeactivating(new PersistencyEvent(agentId, hostName, hostAddress, Instant.now(),
                request.reason(), request, policy));
        jaglet.resources().cleanup(request.reason());
        ObjectNode reply = Json.object();
        reply.set("policy", WireFormat.policy(policy));
        reply.set("state", jaglet.lockedState(Json::toTree));
        return reply;
    }

    @Override
    public JagletProxy dispatch(TransferTicket ticket) {
        JsonNode target = preflight("dispatch", ticket);
        ObjectNode prepared = prepareDeparture(AgentInstance.mobilityEvent(agentId, hostName, hostAddress,
                moveBody("dispatch", target)));
        ObjectNode body = Json.object();
        body.set("ticket", WireFormat.ticket(ticket));
        body.set("target", target);
        body.set("state", prepared.get("state"));
        terminal = true;
        try {
            return proxyFor(WireFormat.proxy(call(Ops.CTX_DISPATCH, body, moveTimeout(ticket)).get("proxy")));
        } catch (RuntimeException e) {
            terminal = false;
            throw e;
        }
    }

    @Override
    public JagletProxy cloneTo(TransferTicket ticket) {
        JsonNode target = preflight("clone", ticket);
        ObjectNode move = moveBody("clone", target);
        move.put("source_agent_id", agentId);
        move.put("clone_agent_id", UUID.randomUUID().toString().replace("-", ""));
        CloneEvent event = AgentInstance.cloneEvent(agentId, hostName, hostAddress, move);
        ObjectNode prepared = prepareCloning(event);
        ObjectNode body = Json.object();
        body.set("ticket", WireFormat.ticket(ticket));
        body.set("target", target);
        body.put("clone_id", event.cloneAgentId());
        body.set("state", prepared.get("state"));
        JagletProxy copy = proxyFor(WireFormat.proxy(call(Ops.CTX_CLONE, body, moveTimeout(ticket)).get("proxy")));
        jaglet.onCloned(event);
        return copy;
    }

    @Override
    public JagletProxy retract(JagletProxyRef ref) {
        ObjectNode body = idBody(ref.agentId());
        body.put("host_url", ref.hostUrl());
        return proxyFor(WireFormat.proxy(call(Ops.CTX_RETRACT, body, CALL_TIMEOUT).get("proxy")));
    }

    @Override
    public List<HostInfo> hosts() {
        List<HostInfo> hosts = new ArrayList<>();
        call(Ops.CTX_HOSTS, Json.object(), CALL_TIMEOUT).path("hosts").forEach(h -> hosts.add(WireFormat.hostInfo(h)));
        return hosts;
    }

    @Override
    public HostInfo waitForHost(String nameOrUrl, Duration timeout) {
        ObjectNode body = Json.object();
        body.put("host", nameOrUrl);
        body.put("timeout_ms", timeout.toMillis());
        return WireFormat.hostInfo(call(Ops.CTX_WAIT_FOR_HOST, body, timeout.plus(CALL_TIMEOUT)).path("host"));
    }

    /** The host resolves and checks the target before any hook runs: {@code {url, name}}. */
    private JsonNode preflight(String kind, TransferTicket ticket) {
        if (ticket == null) {
            throw new JagletException(ErrorType.BAD_REQUEST, "a " + kind + " needs a transfer ticket");
        }
        ObjectNode body = Json.object();
        body.put("kind", kind);
        body.set("ticket", WireFormat.ticket(ticket));
        return call(Ops.CTX_MOVE_PREFLIGHT, body, moveTimeout(ticket));
    }

    private ObjectNode moveBody(String reason, JsonNode target) {
        ObjectNode move = Json.object();
        move.put("reason", reason);
        move.put("source_host_name", hostName);
        move.put("source_host_address", hostAddress);
        move.set("target_host_name", target.path("name"));
        move.set("target_host_address", target.path("url"));
        return move;
    }

    /** Every attempt, the target's arrival and the bounded wait for its {@code run()}, with room to spare. */
    private static Duration moveTimeout(TransferTicket ticket) {
        return ticket.timeout().plus(ticket.retryInterval()).multipliedBy(3L * (ticket.retries() + 1)).plus(CALL_TIMEOUT);
    }

    JagletProxy proxyFor(JagletProxyRef ref) {
        boolean local = ref.hostUrl() == null || ref.hostUrl().equals(hostAddress);
        return new ChildProxy(this, ref.agentId(), local ? null : ref.hostUrl());
    }

    /** {@code onDispatching} (or {@code onReverting}), then resource cleanup, then a snapshot: {@code {state}}. */
    ObjectNode prepareDeparture(MobilityEvent event) {
        if ("retract".equals(event.reason())) {
            jaglet.onReverting(event);
        } else {
            jaglet.onDispatching(event);
        }
        jaglet.resources().cleanup(event.reason());
        ObjectNode reply = Json.object();
        reply.set("state", jaglet.lockedState(Json::toTree));
        return reply;
    }

    /** {@code onCloning}, then the state the copy starts with: {@code {state}}. */
    ObjectNode prepareCloning(CloneEvent event) {
        jaglet.onCloning(event);
        ObjectNode reply = Json.object();
        reply.set("state", jaglet.lockedState(Json::toTree));
        return reply;
    }

    /** {@code onDisposing}, then resource cleanup. */
    void prepareDisposal() {
        jaglet.onDisposing(new PersistencyEvent(agentId, hostName, hostAddress, Instant.now(), "dispose", null, null));
        jaglet.resources().cleanup("dispose");
    }

    @Override
    public Optional<Object> property(String key) {
        ObjectNode body = Json.object();
        body.put("key", key);
        return Optional.ofNullable(Json.toPlain(call(Ops.CTX_PROPERTY_GET, body, CALL_TIMEOUT).get("value")));
    }

    @Override
    public void setProperty(String key, Object value) {
        ObjectNode body = Json.object();
        body.put("key", key);
        body.set("value", Json.toTree(value));
        call(Ops.CTX_PROPERTY_SET, body, CALL_TIMEOUT);
    }

    @Override
    public Path workDir() {
        Path dir = workDir;
        if (dir == null) {
            dir = Path.of(call(Ops.CTX_WORK_DIR, Json.object(), CALL_TIMEOUT).path("path").asText());
            workDir = dir;
        }
        return dir;
    }

    @Override
    public PersistentStorage persistentStorage() {
        return new ChildStorage(this, -2);
    }

    @Override
    public PersistentStorage persistentStorage(long quotaBytes) {
        return new ChildStorage(this, quotaBytes);
    }

    @Override
    public <T> T convert(Object value, Class<T> type) {
        try {
            return Json.MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new JagletException(ErrorType.SERIALIZATION, "cannot convert to " + type.getName() + ": " + e.getMessage());
        }
    }

    /** One call to the host, waiting at most {@code timeout}. */
    JsonNode call(String op, JsonNode body, Duration timeout) {
        try {
            return peer.request(op, body).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw WireError.asJagletException(e.getCause());
        } catch (TimeoutException e) {
            throw new JagletException(ErrorType.TIMEOUT, "the host did not answer " + op + " within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JagletException(ErrorType.TIMEOUT, "interrupted while waiting for the host (" + op + ")");
        }
    }

    static ObjectNode idBody(String id) {
        ObjectNode body = Json.object();
        body.put("agent_id", id);
        return body;
    }
}
