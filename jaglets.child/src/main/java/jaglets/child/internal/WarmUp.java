package jaglets.child.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.CreationEvent;
import jaglets.api.DeactivationRequest;
import jaglets.api.Jaglet;
import jaglets.api.JagletProxyRef;
import jaglets.api.Message;
import jaglets.api.OnMessage;
import jaglets.api.PersistencyEvent;
import jaglets.api.StateLocked;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.RpcPeer;
import jaglets.protocol.WireFormat;
import java.nio.channels.Pipe;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a built-in agent through what a real one goes through (channel frames, the child runtime,
 * its context, state decoded from JSON, hooks, annotated handlers, replies and snapshots written
 * as JSON) while a pool child waits for its agent, and during the class-data training run. The
 * classes, lambdas and code paths are then loaded (and archived) before an agent's creation
 * needs them.
 */
final class WarmUp {
    private WarmUp() {
    }

    /** The built-in agent's state: the shapes agents commonly use. */
    public record State(long count, byte[] data, List<String> notes, Map<String, Object> extra, Instant at,
                        JagletProxyRef friend) {
    }

    /** The built-in agent. */
    public static final class Agent extends Jaglet<State> {
        @Override
        public void onCreation(CreationEvent event) {
            updateState(s -> new State(s.count() + 1, s.data(), s.notes(), s.extra(), event.timestamp(), s.friend()));
        }

        @OnMessage("incr")
        @StateLocked
        long increment(Message message) {
            return updateState(s -> new State(s.count() + 1, s.data(), s.notes(), s.extra(), s.at(), s.friend())).count();
        }

        @OnMessage("echo")
        Map<String, Object> echo(Message message) {
            return message.args();
        }

        @Override
        public void run() {
            updateState(s -> new State(s.count(), s.data(), s.notes(), s.extra(), Instant.now(), s.friend()));
        }

        /** Agents commonly note why they stop: the first string concatenation of a JVM costs milliseconds. */
        @Override
        public void onDeactivating(PersistencyEvent event) {
            updateState(s -> new State(s.count(), s.data(), List.of("deactivating:" + event.reason(), "n=" + s.count()),
                    s.extra(), s.at(), s.friend()));
        }
    }

    /** Agent code for the warm-up: its own agent class, from the class path. */
    private static final AgentCode BUILT_IN = new AgentCode() {
        @Override
        public Class<?> agentClass(JsonNode load) {
            return Agent.class;
        }

        @Override
        public void preload(JsonNode body) {
            Jaglet.prepareClass(Agent.class);
        }
    };

    /**
     * Plays the host to a runtime of its own over an in-process link: preload, creation, run,
     * messages, a state snapshot and deactivation go through the very code a served agent's do.
     * Returns whether every step went through.
     */
    static boolean run() {
        RpcPeer host = null;
        RpcPeer child = null;
        try {
            Pipe toChild = Pipe.open();
            Pipe toHost = Pipe.open();
            host = new RpcPeer(toHost.source(), toChild.sink(), "warm-up");
            child = new RpcPeer(toChild.source(), toHost.sink(), "host");
            host.start(new RpcPeer.Handler() {
                @Override
                public void onRequest(String op, JsonNode body, RpcPeer.Reply reply) {
                    reply.fail(new UnsupportedOperationException("the warm-up host offers nothing"));
                }

                @Override
                public void onEvent(String op, JsonNode body) {
                    // run completions and the like: nothing to do
                }
            });
            child.start(new ChildRuntime(child, BUILT_IN, false));
            call(host, Ops.PRELOAD, Json.object());
            call(host, Ops.LOAD, loadBody());
            host.notify(Ops.RUN, Json.object());
            for (int i = 0; i < 3; i++) {
                call(host, Ops.MESSAGE, messageBody(Message.of("incr").withArg("n", i)));
                call(host, Ops.MESSAGE, messageBody(Message.of("echo").withArg("blob", new byte[] {9})));
            }
            call(host, Ops.STATE, Json.object());
            ObjectNode deactivate = Json.object();
            deactivate.set("request", WireFormat.request(DeactivationRequest.external(null)));
            JsonNode stored = call(host, Ops.DEACTIVATE, deactivate);
            WireFormat.policy(stored.get("policy"));
            return stored.get("state").get("count").asLong() == 5;
        } catch (Exception | LinkageError e) {
            // warming up is an optimisation; a failure here must not keep the child from serving
            return false;
        } finally {
            if (host != null) {
                host.close();
            }
            if (child != null) {
                child.close();
            }
        }
    }

    private static JsonNode call(RpcPeer host, String op, JsonNode body) throws Exception {
        return host.request(op, body).get(10, TimeUnit.SECONDS);
    }

    private static ObjectNode loadBody() {
        ObjectNode state = Json.object();
        state.put("count", 1);
        state.set("data", Json.toTree(new byte[] {1, 2, 3}));
        state.set("notes", Json.toTree(List.of("a", "b")));
        state.set("extra", Json.toTree(Map.of("k", List.of(1, 2.5, true))));
        state.set("friend", Json.toTree(new JagletProxyRef("http://127.0.0.1:1", "friend")));
        ObjectNode load = Json.object();
        load.put("agent_id", "warm-up");
        load.put("class_name", Agent.class.getName());
        load.set("state", state);
        load.put("hook", "creation");
        load.put("host_name", "warm-up");
        load.put("host_address", "http://127.0.0.1:1");
        return load;
    }

    private static ObjectNode messageBody(Message message) {
        ObjectNode body = Json.object();
        body.set("message", WireFormat.message(message));
        body.put("oneway", false);
        return body;
    }
}
