package jaglets.examples;

import jaglets.api.CloneEvent;
import jaglets.api.CreationEvent;
import jaglets.api.Jaglet;
import jaglets.api.JagletProxy;
import jaglets.api.JagletProxyRef;
import jaglets.api.Message;
import jaglets.api.MobilityEvent;
import jaglets.api.OnMessage;
import jaglets.api.PersistencyEvent;
import jaglets.api.StateLocked;
import jaglets.api.TransferTicket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The example agent: answers {@code ping}, echoes, counts, carries a payload of any size and
 * records the lifecycle hooks it went through (so tests can check their order).
 */
public class EchoJaglet extends Jaglet<EchoJaglet.State> {

    /**
     * The state: a counter, a payload and the hooks seen so far.
     */
    public record State(long count, byte[] payload, List<String> hooks) {
        public State {
            hooks = hooks == null ? List.of() : List.copyOf(hooks);
            payload = payload == null ? new byte[0] : payload;
        }

        State withHook(String hook) {
            List<String> more = new ArrayList<>(hooks);
            more.add(hook);
            return new State(count, payload, more);
        }
    }

    @Override
    public void onCreation(CreationEvent event) {
        updateState(s -> s.withHook("creation"));
    }

    @Override
    public void onActivation(PersistencyEvent event) {
        updateState(s -> s.withHook("activation:" + event.reason()));
    }

    @Override
    public void onDeactivating(PersistencyEvent event) {
        updateState(s -> s.withHook("deactivating:" + event.reason()));
    }

    @Override
    public void onDisposing(PersistencyEvent event) {
        updateState(s -> s.withHook("disposing"));
    }

    @Override
    public void onDispatching(MobilityEvent event) {
        updateState(s -> s.withHook("dispatching:" + event.sourceHostName() + "->" + event.targetHostName()));
    }

    @Override
    public void onReverting(MobilityEvent event) {
        updateState(s -> s.withHook("reverting:" + event.sourceHostName() + "->" + event.targetHostName()));
    }

    @Override
    public void onArrival(MobilityEvent event) {
        updateState(s -> s.withHook("arrival:" + event.reason() + "@" + event.hostName() + ":from:"
                + event.sourceHostName()));
    }

    @Override
    public void onCloning(CloneEvent event) {
        updateState(s -> s.withHook("cloning"));
    }

    @Override
    public void onClone(CloneEvent event) {
        updateState(s -> s.withHook("clone:of:" + event.sourceAgentId()));
    }

    @Override
    public void onCloned(CloneEvent event) {
        updateState(s -> s.withHook("cloned:" + event.cloneAgentId()));
    }

    @Override
    public void run() {
        updateState(s -> s.withHook("run"));
    }

    @OnMessage("ping")
    String ping() {
        return "pong";
    }

    @OnMessage("echo")
    Map<String, Object> echo(Message message) {
        return message.args();
    }

    @OnMessage("incr")
    @StateLocked
    long increment() {
        return updateState(s -> new State(s.count() + 1, s.payload(), s.hooks())).count();
    }

    @OnMessage("count")
    long count() {
        return state().count();
    }

    @OnMessage("fill")
    int fill(Message message) {
        int size = ((Number) message.arg("size")).intValue();
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (i * 31);
        }
        updateState(s -> new State(s.count(), payload, s.hooks()));
        return size;
    }

    @OnMessage("size")
    int size() {
        return state().payload().length;
    }

    /** Appends {@code note:<text>} to the hook list, so tests can see the order messages arrived in. */
    @OnMessage("note")
    int note(Message message) {
        return updateState(s -> s.withHook("note:" + message.arg("text"))).hooks().size();
    }

    @OnMessage("hooks")
    List<String> hooks() {
        return state().hooks();
    }

    @OnMessage("sleep")
    long sleep(Message message) throws InterruptedException {
        long millis = ((Number) message.arg("ms")).longValue();
        Thread.sleep(millis);
        return millis;
    }

    @OnMessage("deactivate-self")
    String deactivateSelf(Message message) {
        Object reason = message.arg("reason");
        deactivate(reason == null ? "self" : reason.toString(), null);
        return "deactivating";
    }

    @OnMessage("dispose-self")
    String disposeSelf() {
        dispose();
        return "disposing";
    }

    @OnMessage("print")
    String print(Message message) {
        System.out.println(message.arg("text"));
        return "printed";
    }

    @OnMessage("property")
    Object property(Message message) {
        String key = String.valueOf(message.arg("key"));
        if (message.args().containsKey("value")) {
            context().setProperty(key, message.arg("value"));
        }
        return context().property(key).orElse(null);
    }

    @OnMessage("store")
    Object store(Message message) {
        String path = String.valueOf(message.arg("path"));
        if (message.args().containsKey("text")) {
            context().persistentStorage().writeText(path, String.valueOf(message.arg("text")));
            return context().persistentStorage().status().usedBytes();
        }
        return context().persistentStorage().readText(path);
    }

    @OnMessage("workdir")
    String workDir() {
        return context().workDir().toString();
    }

    /** Sends {@code kind} to agent {@code to}, on host {@code host} if given, and returns its reply. */
    @OnMessage("forward")
    Object forward(Message message) {
        String target = String.valueOf(message.arg("to"));
        Message forwarded = Message.of(String.valueOf(message.arg("kind")));
        Object host = message.arg("host");
        JagletProxy proxy = host == null ? context().proxy(target).orElseThrow()
                : context().resolve(new JagletProxyRef(host.toString(), target));
        return proxy.send(forwarded);
    }

    /** Dispatches itself to host {@code to}; answers the proxy of its new place. */
    @OnMessage("go")
    Map<String, Object> go(Message message) {
        JagletProxy moved = dispatch(TransferTicket.to(String.valueOf(message.arg("to"))));
        return Map.of("host_url", moved.hostAddress(), "agent_id", moved.agentId());
    }

    /** Clones itself to host {@code to} (this host if absent); answers the copy's proxy. */
    @OnMessage("clone-self")
    Map<String, Object> cloneSelf(Message message) {
        Object to = message.arg("to");
        JagletProxy copy = cloneTo(to == null ? null : to.toString());
        return Map.of("host_url", copy.hostAddress(), "agent_id", copy.agentId());
    }

    /** The names of the mesh's hosts that are online, as this agent's host knows them. */
    @OnMessage("hosts")
    List<String> hosts() {
        return context().hosts().stream().filter(h -> h.online()).map(h -> h.name()).sorted().toList();
    }

    /** Waits at most {@code ms} for host {@code host} to be online; answers its URL. */
    @OnMessage("wait-for-host")
    String waitForHost(Message message) {
        return context().waitForHost(String.valueOf(message.arg("host")),
                java.time.Duration.ofMillis(((Number) message.arg("ms")).longValue())).url();
    }
}
