package jaglets.child.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentStatus;
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
        boolean local = ref.hostUrl() == null || ref.hostUrl().equals(hostAddress);
        return new ChildProxy(this, ref.agentId(), local ? null : ref.hostUrl());
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
