package jaglets.child.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.CloneEvent;
import jaglets.api.CreationEvent;
import jaglets.api.DeactivationRequest;
import jaglets.api.Jaglet;
import jaglets.api.JagletProxyRef;
import jaglets.api.Message;
import jaglets.api.MobilityEvent;
import jaglets.api.OnMessage;
import jaglets.api.PersistencyEvent;
import jaglets.api.StateLocked;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.RpcPeer;
import jaglets.protocol.WireFormat;
import java.io.InputStream;
import java.nio.channels.Pipe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

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

        /** Hooks commonly note what happened in the state, building strings on the way. */
        @Override
        public void onDeactivating(PersistencyEvent event) {
            note("deactivating:" + event.reason() + " n=" + state().count());
        }

        @Override
        public void onArrival(MobilityEvent event) {
            note("arrival from " + event.sourceHostName());
        }

        @Override
        public void onDispatching(MobilityEvent event) {
            note("dispatching to " + event.targetHostAddress());
        }

        @Override
        public void onCloning(CloneEvent event) {
            note("cloning as " + event.cloneAgentId());
        }

        @Override
        public void onClone(CloneEvent event) {
            note("clone of " + event.sourceAgentId());
        }

        @Override
        public void onCloned(CloneEvent event) {
            note("cloned to " + event.targetHostName());
        }

        private void note(String note) {
            updateState(s -> {
                List<String> notes = new ArrayList<>(s.notes());
                notes.add(note);
                return new State(s.count(), s.data(), notes, s.extra(), s.at(), s.friend());
            });
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
     * Plays the host to runtimes of its own over in-process links, one agent each, as a served
     * child's life can go: created, messaged and deactivated; arrived and dispatched on; cloned
     * and disposed; before that, rewrites the command line's agent id with the value it has.
     * Returns whether every step of every life went through.
     */
    static boolean run() {
        ProcessTitle.rehearse(); // false where there is no /proc: nothing to warm up then
        return spinLambdas() && live(WarmUp::created) && live(WarmUp::arrived) && live(WarmUp::cloned);
    }

    /**
     * Generates the lambda classes of {@link LambdaSpin}, loaded by a class loader of its own (as
     * an agent bundle's classes are), so the JVM's lambda machinery is ready for the agent's.
     */
    static boolean spinLambdas() {
        try (InputStream in = WarmUp.class.getResourceAsStream("LambdaSpin.class")) {
            if (in == null) {
                return false;
            }
            byte[] bytes = in.readAllBytes();
            String name = LambdaSpin.class.getName();
            ClassLoader own = new ClassLoader(WarmUp.class.getClassLoader()) {
                @Override
                protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
                    if (!className.equals(name)) {
                        return super.loadClass(className, resolve);
                    }
                    synchronized (getClassLoadingLock(className)) {
                        Class<?> loaded = findLoadedClass(className);
                        return loaded != null ? loaded : defineClass(className, bytes, 0, bytes.length);
                    }
                }
            };
            Class<?> spin = own.loadClass(name);
            var constructor = spin.getDeclaredConstructor();
            constructor.setAccessible(true);
            return spin.getClassLoader() == own && ((BooleanSupplier) constructor.newInstance()).getAsBoolean();
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    /** One agent's life, driven by the host side of a fresh link to a fresh runtime. */
    private interface Life {
        boolean drive(RpcPeer host) throws Exception;
    }

    private static boolean live(Life life) {
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
            return life.drive(host);
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

    /** Preload, creation, run, messages, a snapshot, deactivation. */
    private static boolean created(RpcPeer host) throws Exception {
        call(host, Ops.PRELOAD, Json.object());
        call(host, Ops.LOAD, loadBody("creation"));
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
    }

    /** A staged arrival and its landing, run, a message, departure to another host. */
    private static boolean arrived(RpcPeer host) throws Exception {
        ObjectNode load = loadBody("arrival");
        load.put("staged", true);
        call(host, Ops.LOAD, load);
        ObjectNode land = loadBody("arrival");
        land.set("move", moveBody("dispatch"));
        call(host, Ops.LAND, land);
        host.notify(Ops.RUN, Json.object());
        call(host, Ops.MESSAGE, messageBody(Message.of("incr")));
        ObjectNode depart = Json.object();
        depart.set("move", moveBody("dispatch"));
        JsonNode state = call(host, Ops.DEPART, depart).get("state");
        return state.get("notes").size() == 4;
    }

    /** A clone's arrival, then the original's cloning, cloned and disposal. */
    private static boolean cloned(RpcPeer host) throws Exception {
        ObjectNode load = loadBody("clone");
        load.set("move", moveBody("clone"));
        call(host, Ops.LOAD, load);
        ObjectNode clone = Json.object();
        clone.set("move", moveBody("clone"));
        JsonNode copy = call(host, Ops.CLONING, clone).get("state");
        call(host, Ops.CLONED, clone);
        call(host, Ops.DISPOSE, Json.object());
        return copy.get("notes").size() == 4;
    }

    private static ObjectNode moveBody(String reason) {
        ObjectNode move = Json.object();
        move.put("reason", reason);
        move.put("source_host_name", "warm-up-a");
        move.put("source_host_address", "http://127.0.0.1:1");
        move.put("target_host_name", "warm-up-b");
        move.put("target_host_address", "http://127.0.0.1:2");
        if (reason.equals("clone")) {
            move.put("source_agent_id", "warm-up");
            move.put("clone_agent_id", "warm-up-copy");
        }
        return move;
    }

    private static JsonNode call(RpcPeer host, String op, JsonNode body) throws Exception {
        return host.request(op, body).get(10, TimeUnit.SECONDS);
    }

    private static ObjectNode loadBody(String hook) {
        ObjectNode state = Json.object();
        state.put("count", 1);
        // records on disk hold binary values in the tagged JSON form, envelopes (Smile) as bytes: decode both
        if (hook.equals("creation")) {
            ObjectNode tagged = state.putObject("data");
            tagged.put(Json.BINARY_TAG, "bytes");
            tagged.put("base64", "AQID");
        } else {
            state.set("data", Json.toTree(new byte[] {1, 2, 3}));
        }
        state.set("notes", Json.toTree(List.of("a", "b")));
        state.set("extra", Json.toTree(Map.of("k", List.of(1, 2.5, true))));
        state.set("friend", Json.toTree(new JagletProxyRef("http://127.0.0.1:1", "friend")));
        ObjectNode load = Json.object();
        load.put("agent_id", "warm-up");
        load.put("class_name", Agent.class.getName());
        load.set("state", state);
        load.put("hook", hook);
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
