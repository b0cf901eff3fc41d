package jaglets.child.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.CloneEvent;
import jaglets.api.CreationEvent;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.Jaglet;
import jaglets.api.JagletException;
import jaglets.api.MobilityEvent;
import jaglets.api.PersistencyEvent;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.RpcPeer;
import jaglets.protocol.WireFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The one agent of this child: built from its bundle, driven through its hooks. */
final class AgentInstance {

    private final Jaglet<Object> jaglet;
    private final ChildContext context;
    private final RpcPeer peer;
    private volatile Thread runThread;
    /** Loaded staged: its load hook has not run yet. */
    private volatile boolean hookPending;

    private AgentInstance(Jaglet<Object> jaglet, ChildContext context, RpcPeer peer) {
        this.jaglet = jaglet;
        this.context = context;
        this.peer = peer;
    }

    /**
     * Builds the agent of {@code agentClass} with the load's state and runs the requested hook:
     * {@code creation}, {@code activation}, {@code arrival} or {@code clone}. A staged load (an
     * arrival whose transfer still waits for the source's decision) runs no hook: the agent's own
     * code runs only once {@link #runStagedHook} is asked for, after the commit.
     */
    @SuppressWarnings("unchecked")
    static AgentInstance load(Class<?> agentClass, JsonNode body, RpcPeer peer) {
        String agentId = body.path("agent_id").asText();
        String className = agentClass.getName();
        Class<?> stateClass = Jaglet.stateClassOf(agentClass);
        Object state = decodeState(body.get("state"), stateClass);
        Jaglet<Object> jaglet;
        try {
            jaglet = (Jaglet<Object>) agentClass.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new JagletException(ErrorType.CODE, className + " needs a public no-argument constructor ("
                    + e + ")");
        }
        String hostName = body.path("host_name").asText();
        String hostAddress = body.path("host_address").asText();
        ChildContext context = new ChildContext(agentId, hostName, hostAddress, peer, jaglet);
        jaglet.attach(agentId, context, state);
        AgentInstance instance = new AgentInstance(jaglet, context, peer);
        if (body.path("staged").asBoolean()) {
            instance.hookPending = true;
        } else {
            instance.runLoadHook(body);
        }
        return instance;
    }

    /** The hook a staged load left out ({@code arrival} or {@code clone}), now that the agent is here. */
    void runStagedHook(JsonNode body) {
        if (!hookPending) {
            throw new JagletException(ErrorType.LIFECYCLE, "agent " + agentId() + " was not loaded staged");
        }
        hookPending = false;
        runLoadHook(body);
    }

    private void runLoadHook(JsonNode body) {
        String agentId = agentId();
        String hostName = body.path("host_name").asText();
        String hostAddress = body.path("host_address").asText();
        String hook = body.path("hook").asText();
        switch (hook) {
            case "creation" -> jaglet.onCreation(new CreationEvent(agentId, hostName, hostAddress, Instant.now(),
                    Json.toPlain(body.get("init"))));
            case "activation" -> {
                DeactivationRequest request = WireFormat.request(body.get("request"));
                DeactivationPolicy policy = WireFormat.policy(body.get("policy"));
                jaglet.onActivation(new PersistencyEvent(agentId, hostName, hostAddress, Instant.now(),
                        "activate", request, policy));
            }
            case "arrival" -> jaglet.onArrival(mobilityEvent(agentId, hostName, hostAddress, body.path("move")));
            case "clone" -> jaglet.onClone(cloneEvent(agentId, hostName, hostAddress, body.path("move")));
            default -> throw new JagletException(ErrorType.LIFECYCLE, "unknown load hook '" + hook + "'");
        }
    }

    static Object decodeState(JsonNode stateNode, Class<?> stateClass) {
        try {
            if (stateNode == null || stateNode.isNull() || stateNode.isMissingNode()) {
                try {
                    return stateClass.getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    return Json.MAPPER.treeToValue(Json.object(), stateClass);
                }
            }
            if (!stateNode.isObject()) {
                throw new JagletException(ErrorType.SERIALIZATION, "the state of a " + stateClass.getName()
                        + " must be a JSON object, not " + stateNode.getNodeType().name().toLowerCase());
            }
            return Json.MAPPER.treeToValue(stateNode, stateClass);
        } catch (JsonProcessingException e) {
            throw new JagletException(ErrorType.SERIALIZATION, "the state does not fit " + stateClass.getName()
                    + ": " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new JagletException(ErrorType.SERIALIZATION, "the state does not fit " + stateClass.getName()
                    + ": " + e.getMessage());
        }
    }

    String agentId() {
        return jaglet.agentId();
    }

    /** Starts {@code run()} in its own thread; its failure or end is reported to the host. */
    void startRun() {
        if (runThread != null || hookPending) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                jaglet.run();
                peer.notify(Ops.RUN_COMPLETE, Json.object());
            } catch (Throwable e) {
                peer.notify(Ops.RUN_FAILED, ChildRuntime.errorNode(e));
            }
        }, "jaglets-run");
        t.setDaemon(true);
        runThread = t;
        t.start();
    }

    JsonNode deliver(JsonNode body) {
        Object result = jaglet.deliver(WireFormat.message(body.get("message")));
        ObjectNode reply = Json.object();
        try {
            reply.set("result", Json.toTree(result));
        } catch (IllegalArgumentException e) {
            throw new JagletException(ErrorType.SERIALIZATION, "the reply of " + jaglet.getClass().getName()
                    + " cannot be written as JSON: " + e.getMessage());
        }
        reply.put("moved", context.isTerminal());
        return reply;
    }

    /** A move as the host describes it: reason, both hosts, and for clones both ids. */
    static MobilityEvent mobilityEvent(String agentId, String hostName, String hostAddress, JsonNode move) {
        return new MobilityEvent(agentId, hostName, hostAddress, Instant.now(), text(move, "source_host_name"),
                text(move, "source_host_address"), text(move, "target_host_name"), text(move, "target_host_address"),
                text(move, "reason"));
    }

    static CloneEvent cloneEvent(String agentId, String hostName, String hostAddress, JsonNode move) {
        return new CloneEvent(agentId, hostName, hostAddress, Instant.now(), text(move, "source_agent_id"),
                text(move, "clone_agent_id"), text(move, "source_host_name"), text(move, "source_host_address"),
                text(move, "target_host_name"), text(move, "target_host_address"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** {@code onDispatching} or {@code onReverting}, cleanup, snapshot: {@code {state}}. */
    JsonNode depart(JsonNode body) {
        return context.prepareDeparture(mobilityEvent(agentId(), context.hostName(), context.hostAddress(),
                body.path("move")));
    }

    /** {@code onCloning}, then the state the copy starts from: {@code {state}}. */
    JsonNode cloning(JsonNode body) {
        return context.prepareCloning(cloneEvent(agentId(), context.hostName(), context.hostAddress(),
                body.path("move")));
    }

    JsonNode cloned(JsonNode body) {
        jaglet.onCloned(cloneEvent(agentId(), context.hostName(), context.hostAddress(), body.path("move")));
        return Json.object();
    }

    /** Policy, {@code onDeactivating}, cleanup, snapshot. The child stays until the host lets it go. */
    JsonNode deactivate(JsonNode body) {
        DeactivationRequest request = WireFormat.request(body.get("request"));
        ObjectNode reply = context.prepareDeactivation(request);
        return reply;
    }

    JsonNode dispose() {
        context.prepareDisposal();
        return Json.object();
    }

    /** The state under the lock if it can be had within a second, else as it is now. */
    JsonNode snapshotReply() {
        ObjectNode reply = Json.object();
        JsonNode locked = jaglet.tryLockedState(Json::toTree, Duration.ofSeconds(1));
        reply.set("state", locked != null ? locked : Json.toTree(jaglet.state()));
        reply.put("consistent", locked != null);
        return reply;
    }

    Map<String, Boolean> resources() {
        return jaglet.resources().status();
    }
}
