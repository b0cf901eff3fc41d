package jaglets.child.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentStatus;
import jaglets.api.CreationEvent;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.Jaglet;
import jaglets.api.JagletContext;
import jaglets.api.JagletProxy;
import jaglets.api.JagletProxyRef;
import jaglets.api.Message;
import jaglets.api.OnMessage;
import jaglets.api.PersistencyEvent;
import jaglets.api.PersistentStorage;
import jaglets.api.StateLocked;
import jaglets.protocol.Json;
import jaglets.protocol.WireFormat;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a built-in agent through what a real one goes through (state decoded from JSON, hooks,
 * annotated handlers, replies and snapshots written as JSON) while a pool child waits for its
 * agent, and during the class-data training run. The classes and code paths are then loaded
 * (and archived) before an agent's creation needs them.
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
    }

    static void run() {
        try {
            ObjectNode stateJson = Json.object();
            stateJson.put("count", 1);
            stateJson.set("data", Json.toTree(new byte[] {1, 2, 3}));
            stateJson.set("notes", Json.toTree(List.of("a", "b")));
            stateJson.set("extra", Json.toTree(Map.of("k", List.of(1, 2.5, true))));
            stateJson.set("friend", Json.toTree(new JagletProxyRef("http://127.0.0.1:1", "friend")));
            Class<?> stateClass = Jaglet.stateClassOf(Agent.class);
            State state = (State) Json.MAPPER.treeToValue(stateJson, stateClass);
            Agent agent = Agent.class.getDeclaredConstructor().newInstance();
            agent.attach("warm-up", new QuietContext(), state);
            agent.onCreation(new CreationEvent("warm-up", "h", "http://127.0.0.1:1", Instant.now(), null));
            for (int i = 0; i < 3; i++) {
                Message message = WireFormat.message(WireFormat.message(Message.of("incr").withArg("n", i)));
                Json.MAPPER.writeValueAsBytes(Json.toTree(agent.deliver(message)));
                Json.toPlain(Json.toTree(agent.deliver(Message.of("echo").withArg("blob", new byte[] {9}))));
            }
            JsonNode snapshot = agent.lockedState(Json::toTree);
            Json.MAPPER.writeValueAsBytes(snapshot);
            DeactivationRequest request = WireFormat.request(WireFormat.request(DeactivationRequest.external(null)));
            DeactivationPolicy policy = agent.deactivationPolicy(request);
            WireFormat.policy(WireFormat.policy(policy));
            agent.onDeactivating(new PersistencyEvent("warm-up", "h", "a", Instant.now(), "deactivate", request, policy));
            agent.resources().cleanup("deactivate");
        } catch (Exception | LinkageError e) {
            // warming up is an optimisation; a failure here must not keep the child from serving
        }
    }

    /** A context that offers nothing: the built-in agent never calls it. */
    private static final class QuietContext implements JagletContext {
        @Override
        public String hostName() {
            return "warm-up";
        }

        @Override
        public String hostAddress() {
            return "http://127.0.0.1:1";
        }

        @Override
        public String agentId() {
            return "warm-up";
        }

        @Override
        public Optional<JagletProxy> proxy(String agentId) {
            return Optional.empty();
        }

        @Override
        public List<JagletProxy> proxies(AgentStatus which) {
            return List.of();
        }

        @Override
        public JagletProxy resolve(JagletProxyRef ref) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JagletProxy create(String className, String bundleVersion, Object state, Object init) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deactivate(DeactivationRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void dispose() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Object> property(String key) {
            return Optional.empty();
        }

        @Override
        public void setProperty(String key, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path workDir() {
            throw new UnsupportedOperationException();
        }

        @Override
        public PersistentStorage persistentStorage() {
            throw new UnsupportedOperationException();
        }

        @Override
        public PersistentStorage persistentStorage(long quotaBytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T convert(Object value, Class<T> type) {
            return Json.MAPPER.convertValue(value, type);
        }

        @Override
        public JagletProxy dispatch(jaglets.api.TransferTicket ticket) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JagletProxy cloneTo(jaglets.api.TransferTicket ticket) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JagletProxy retract(JagletProxyRef ref) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<jaglets.api.HostInfo> hosts() {
            return List.of();
        }

        @Override
        public jaglets.api.HostInfo waitForHost(String nameOrUrl, java.time.Duration timeout) {
            throw new UnsupportedOperationException();
        }
    }
}
