package jaglets.child.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.RpcPeer;
import jaglets.protocol.WireError;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Serves one agent over the channel to the host. Lifecycle steps and messages run one at a
 * time, in arrival order ({@link AgentWork}); state snapshots are answered beside them.
 */
public final class ChildRuntime implements RpcPeer.Handler {

    private final RpcPeer peer;
    private final AgentCode code;
    private final boolean serving;
    private final AgentWork work;
    private volatile AgentInstance agent;

    /**
     * @param serving whether this runtime serves the host: it then shows its agent's id in the
     *                process title and ends the JVM when the channel closes; the warm-up's does neither
     */
    ChildRuntime(RpcPeer peer, AgentCode code, boolean serving) {
        this.peer = peer;
        this.code = code;
        this.serving = serving;
        this.work = new AgentWork(peer);
    }

    /**
     * Boots the framework while connecting to the host, warms up if asked (a pool child, which
     * has the time), says hello and serves until the host says exit or goes away.
     */
    public static void serve(String socket, String token, String childDir, String systemPackagesFile, boolean warmUp)
            throws Exception {
        // the codec's first use and the connection, on another core while the framework boots
        FutureTask<SocketChannel> connecting = new FutureTask<>(() -> {
            Json.BINARY.readTree(Json.BINARY.writeValueAsBytes(Json.object().put("ready", true)));
            return SocketChannel.open(UnixDomainSocketAddress.of(socket));
        });
        Thread connector = new Thread(connecting, "jaglets-child-connect");
        connector.setDaemon(true);
        connector.start();
        ChildFramework framework = ChildFramework.boot(Path.of(childDir), Path.of(systemPackagesFile));
        if (warmUp) {
            WarmUp.run();
        }
        SocketChannel channel;
        try {
            channel = connecting.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        RpcPeer peer = new RpcPeer(channel, "host");
        peer.start(new ChildRuntime(peer, new BundleCode(framework), true));
        ObjectNode hello = Json.object();
        hello.put("token", token);
        hello.put("pid", ProcessHandle.current().pid());
        peer.notify(Ops.HELLO, hello);
        Thread.currentThread().join(); // the reader threads drive everything; exit comes from there
    }

    /** The class-data training run: load what a served child loads, then exit. */
    public static void train(String childDir, String systemPackagesFile) throws Exception {
        ChildFramework framework = ChildFramework.boot(Path.of(childDir), Path.of(systemPackagesFile));
        WarmUp.run();
        framework.stop();
    }

    @Override
    public void onRequest(String op, JsonNode body, RpcPeer.Reply reply) {
        switch (op) {
            case Ops.STATE -> answer(reply, () -> requireAgent().snapshotReply());
            case Ops.RESOURCES -> answer(reply, () -> Json.toTree(requireAgent().resources()));
            case Ops.LOAD -> work.submit(() -> answer(reply, () -> load(body)));
            case Ops.MESSAGE -> work.submit(() -> answer(reply, () -> requireAgent().deliver(body)));
            case Ops.DEACTIVATE -> work.submit(() -> answer(reply, () -> requireAgent().deactivate(body)));
            case Ops.DISPOSE -> work.submit(() -> answer(reply, () -> requireAgent().dispose()));
            case Ops.DEPART -> work.submit(() -> answer(reply, () -> requireAgent().depart(body)));
            case Ops.CLONING -> work.submit(() -> answer(reply, () -> requireAgent().cloning(body)));
            case Ops.CLONED -> work.submit(() -> answer(reply, () -> requireAgent().cloned(body)));
            case Ops.PRELOAD -> work.submit(() -> answer(reply, () -> preload(body)));
            case Ops.LAND -> work.submit(() -> land(body, reply));
            default -> reply.fail(new IllegalArgumentException("unknown child operation '" + op + "'"));
        }
    }

    @Override
    public void onEvent(String op, JsonNode body) {
        if (Ops.RUN.equals(op) && agent != null) {
            agent.startRun();
        } else if (Ops.EXIT.equals(op) && serving) {
            exit(0);
        }
    }

    @Override
    public void onClosed() {
        if (serving) {
            exit(0); // the host is gone or done with us; a child never outlives its channel
        }
    }

    private JsonNode load(JsonNode body) {
        if (agent != null) {
            throw new IllegalStateException("this child already runs agent " + agent.agentId());
        }
        if (serving) {
            String agentId = body.path("agent_id").asText();
            // for ps: one small write in a pool child, whose warm-up found the place; in a child
            // started for this agent finding it costs milliseconds, so that runs beside the load
            if (ProcessTitle.ready()) {
                ProcessTitle.showAgentId(agentId);
            } else {
                Thread title = new Thread(() -> ProcessTitle.showAgentId(agentId), "jaglets-title");
                title.setDaemon(true);
                title.start();
            }
            System.setProperty("jaglets.agent.id", agentId);
        }
        agent = AgentInstance.load(code.agentClass(body), body, peer);
        return Json.object();
    }

    /**
     * Runs the hook a staged load left out and, if the body says {@code run}, starts {@code run()}
     * once the landing is answered, so that its end or failure reaches the host after the answer.
     */
    private void land(JsonNode body, RpcPeer.Reply reply) {
        AgentInstance landed;
        try {
            landed = requireAgent();
            landed.runStagedHook(body);
        } catch (Throwable e) {
            reply.fail(e);
            return;
        }
        reply.ok(Json.object());
        if (body.path("run").asBoolean()) {
            landed.startRun();
        }
    }

    private JsonNode preload(JsonNode body) {
        if (agent == null) {
            code.preload(body);
        }
        return Json.object();
    }

    private AgentInstance requireAgent() {
        AgentInstance current = agent;
        if (current == null) {
            throw new IllegalStateException("no agent is loaded in this child");
        }
        return current;
    }

    private interface Step {
        JsonNode run() throws Exception;
    }

    private static void answer(RpcPeer.Reply reply, Step step) {
        try {
            reply.ok(step.run());
        } catch (Throwable e) {
            reply.fail(e);
        }
    }

    private void exit(int code) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    static ObjectNode errorNode(Throwable e) {
        return WireError.toWire(e);
    }
}
