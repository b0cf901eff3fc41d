package jaglets.runtime.internal.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentStatus;
import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.HostInfo;
import jaglets.api.JagletException;
import jaglets.api.JagletProxyRef;
import jaglets.api.Message;
import jaglets.api.TransferTicket;
import jaglets.protocol.Envelope;
import jaglets.api.SendOptions;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.RpcPeer;
import jaglets.protocol.WireFormat;
import jaglets.runtime.CreateRequest;
import jaglets.runtime.HostDirectory;
import jaglets.runtime.internal.child.ChildListener;
import jaglets.runtime.internal.child.ChildProcess;
import jaglets.runtime.internal.storage.ClassStorage;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * Serves an agent's context calls (proxies, sends, create, self-deactivation, properties,
 * storage) and watches its child for crashes. Calls run on the host's pool, never on the
 * channel's reader thread, because they may wait for other agents.
 */
final class ChildCalls implements ChildListener {
    private final HostRuntime host;
    private final AgentTable table;
    private final AgentLifecycle lifecycle;
    private final AgentMoves moves;
    private final ExecutorService executor;

    ChildCalls(HostRuntime host, AgentTable table, AgentLifecycle lifecycle, AgentMoves moves, ExecutorService executor) {
        this.host = host;
        this.table = table;
        this.lifecycle = lifecycle;
        this.moves = moves;
        this.executor = executor;
    }

    @Override
    public void onCall(ChildProcess child, String op, JsonNode body, RpcPeer.Reply reply) {
        executor.execute(() -> {
            try {
                AgentSlot self = table.slotOf(child);
                if (self == null) {
                    throw new JagletException(ErrorType.INVALID_AGENT, "this child's agent is no longer on the host");
                }
                reply.ok(handle(self, op, body));
            } catch (Throwable e) {
                reply.fail(e);
            }
        });
    }

    private JsonNode handle(AgentSlot self, String op, JsonNode body) {
        return switch (op) {
            case Ops.CTX_AGENT_INFO -> {
                String hostUrl = remoteHost(body);
                String id = body.path("agent_id").asText();
                yield Json.toTree(hostUrl == null ? host.agent(id) : host.remoteAgents().agent(hostUrl, id));
            }
            case Ops.CTX_PROXIES -> {
                ObjectNode ids = Json.object();
                var list = ids.putArray("agent_ids");
                host.agents(AgentStatus.valueOf(body.path("which").asText("ACTIVE")))
                        .forEach(s -> list.add(s.agentId()));
                yield ids;
            }
            case Ops.CTX_SEND -> send(self, body);
            case Ops.CTX_CREATE -> {
                AgentSummary created = host.create(new CreateRequest(body.path("class_name").asText(),
                        body.path("bundle_version").isTextual() ? body.get("bundle_version").asText() : null, null,
                        body.get("state"), Json.toPlain(body.get("init"))));
                ObjectNode result = Json.object();
                result.put("agent_id", created.agentId());
                yield result;
            }
            case Ops.CTX_DEACTIVATE_OTHER -> {
                String target = other(self, body);
                DeactivationRequest request = WireFormat.request(body.get("request"));
                String hostUrl = remoteHost(body);
                if (hostUrl == null) {
                    host.deactivate(target, request);
                } else {
                    host.remoteAgents().deactivate(hostUrl, target, request);
                }
                yield Json.object();
            }
            case Ops.CTX_ACTIVATE_OTHER -> {
                String hostUrl = remoteHost(body);
                if (hostUrl == null) {
                    host.activate(other(self, body));
                } else {
                    host.remoteAgents().activate(hostUrl, body.path("agent_id").asText());
                }
                yield Json.object();
            }
            case Ops.CTX_DISPOSE_OTHER -> {
                String hostUrl = remoteHost(body);
                if (hostUrl == null) {
                    host.dispose(other(self, body));
                } else {
                    host.remoteAgents().dispose(hostUrl, body.path("agent_id").asText());
                }
                yield Json.object();
            }
            case Ops.CTX_COMPLETE_DEACTIVATE -> {
                lifecycle.completeSelfDeactivation(self, WireFormat.request(body.get("request")),
                        WireFormat.policy(body.get("policy")), body.get("state"));
                yield Json.object();
            }
            case Ops.CTX_COMPLETE_DISPOSE -> {
                lifecycle.completeSelfDisposal(self);
                yield Json.object();
            }
            case Ops.CTX_PROPERTY_GET -> {
                ObjectNode result = Json.object();
                result.set("value", Json.toTree(host.properties().get(body.path("key").asText())));
                yield result;
            }
            case Ops.CTX_PROPERTY_SET -> {
                String key = body.path("key").asText();
                Object value = Json.toPlain(body.get("value"));
                if (value == null) {
                    host.properties().remove(key);
                } else {
                    host.properties().put(key, value);
                }
                yield Json.object();
            }
            case Ops.CTX_WORK_DIR -> {
                ObjectNode result = Json.object();
                result.put("path", host.workDirs().create(self.agentId).toString());
                yield result;
            }
            case Ops.CTX_STORAGE -> storage(self, body);
            case Ops.CTX_MOVE_PREFLIGHT -> moves.preflight(self, "clone".equals(body.path("kind").asText())
                    ? Envelope.Kind.CLONE : Envelope.Kind.DISPATCH, WireFormat.ticket(body.get("ticket"))).toWire();
            case Ops.CTX_DISPATCH -> WireFormat.proxyReply(moves.completeSelfDispatch(self, WireFormat.ticket(body.get("ticket")),
                    target(body), body.get("state")));
            case Ops.CTX_CLONE -> WireFormat.proxyReply(moves.completeClone(self, WireFormat.ticket(body.get("ticket")),
                    target(body), body.path("clone_id").asText(), body.get("state")));
            case Ops.CTX_MOVE_OTHER -> moveOther(self, body);
            case Ops.CTX_RETRACT -> WireFormat.proxyReply(host.retract(body.path("host_url").asText(), body.path("agent_id").asText()));
            case Ops.CTX_HOSTS -> hosts();
            case Ops.CTX_WAIT_FOR_HOST -> {
                HostDirectory directory = requireDirectory();
                ObjectNode result = Json.object();
                result.set("host", WireFormat.hostInfo(directory.waitForHost(body.path("host").asText(),
                        Duration.ofMillis(body.path("timeout_ms").asLong(10_000)))));
                yield result;
            }
            default -> throw new JagletException(ErrorType.HOST, "unknown host call '" + op + "'");
        };
    }

    private AgentMoves.Target target(JsonNode body) {
        JsonNode target = body.path("target");
        String url = target.path("url").asText();
        String name = target.path("name").isTextual() ? target.get("name").asText() : null;
        return new AgentMoves.Target(url, name, url.equals(host.address()));
    }

    private JsonNode moveOther(AgentSlot self, JsonNode body) {
        String action = body.path("action").asText();
        TransferTicket ticket = WireFormat.ticket(body.get("ticket"));
        String hostUrl = remoteHost(body);
        String agentId = hostUrl == null ? other(self, body) : body.path("agent_id").asText();
        boolean clone = "clone".equals(action);
        if (hostUrl == null) {
            return WireFormat.proxyReply(clone ? host.cloneAgent(agentId, ticket) : host.dispatch(agentId, ticket));
        }
        return WireFormat.proxyReply(clone ? host.remoteAgents().cloneAgent(hostUrl, agentId, ticket)
                : host.remoteAgents().dispatch(hostUrl, agentId, ticket));
    }

    private JsonNode hosts() {
        HostDirectory directory = host.directory();
        ObjectNode result = Json.object();
        var list = result.putArray("hosts");
        if (directory == null) {
            list.add(WireFormat.hostInfo(new HostInfo(host.name(), host.address(), true, java.time.Instant.now(),
                    null, null)));
        } else {
            directory.hosts().forEach(h -> list.add(WireFormat.hostInfo(h)));
        }
        return result;
    }

    private HostDirectory requireDirectory() {
        HostDirectory directory = host.directory();
        if (directory == null) {
            throw new JagletException(ErrorType.HOST, "host " + host.name() + " runs without a mesh");
        }
        return directory;
    }

    /** The host a call aims at when it is not this one, else {@code null}. */
    private String remoteHost(JsonNode body) {
        JsonNode url = body.get("host_url");
        return url == null || url.isNull() || url.asText().equals(host.address()) ? null : url.asText();
    }

    private JsonNode send(AgentSlot self, JsonNode body) {
        String target = body.path("agent_id").asText();
        String hostUrl = remoteHost(body);
        boolean oneway = body.path("oneway").asBoolean();
        if (hostUrl == null && target.equals(self.agentId) && !oneway) {
            throw new JagletException(ErrorType.HOST, "agent " + target + " cannot wait for its own reply: it handles"
                    + " one message at a time; use a one-way send to itself");
        }
        Message message = WireFormat.message(body.get("message"));
        SendOptions options = new SendOptions(body.path("activate_if_inactive").asBoolean(true),
                body.path("no_delay").asBoolean(false), Duration.ofMillis(body.path("timeout_ms").asLong(30_000)));
        ObjectNode result = Json.object();
        if (oneway) {
            if (hostUrl == null) {
                host.sendOneway(target, message, options);
            } else {
                host.remoteAgents().sendOneway(hostUrl, target, message, options);
            }
            result.putNull("result");
        } else {
            result.set("result", Json.toTree(hostUrl == null ? host.call(target, message, options)
                    : host.remoteAgents().send(hostUrl, target, message, options)));
        }
        return result;
    }

    private static String other(AgentSlot self, JsonNode body) {
        String target = body.path("agent_id").asText();
        if (target.equals(self.agentId)) {
            throw new JagletException(ErrorType.HOST, "an agent manages itself through its context "
                    + "(context().deactivate / dispose), not through a proxy to itself");
        }
        return target;
    }

    private JsonNode storage(AgentSlot self, JsonNode body) {
        ClassStorage storage = host.storageFor(self, body.path("quota_bytes").asLong(-2));
        String path = body.path("path").asText();
        ObjectNode result = Json.object();
        switch (body.path("action").asText()) {
            case "read" -> result.set("data", Json.toTree(storage.readBytes(path)));
            case "write" -> storage.writeBytes(path, (byte[]) Json.toPlain(body.get("data")));
            case "delete" -> result.put("deleted", storage.delete(path));
            case "clear" -> storage.clear();
            case "status" -> {
                return Json.toTree(storage.status());
            }
            default -> throw new JagletException(ErrorType.HOST, "unknown storage action");
        }
        return result;
    }

    @Override
    public void onEvent(ChildProcess child, String op, JsonNode body) {
        if (Ops.RUN_COMPLETE.equals(op)) {
            AgentSlot slot = table.slotOf(child);
            if (slot != null) {
                slot.settle(new JagletProxyRef(host.address(), slot.agentId));
            }
        } else if (Ops.RUN_FAILED.equals(op)) {
            AgentSlot slot = table.slotOf(child);
            if (slot != null) {
                table.markCrashed(slot, null, "run() failed: " + body.path("error_type").asText() + ": "
                        + body.path("error").asText());
                slot.settle(new JagletProxyRef(host.address(), slot.agentId));
                child.kill();
            }
        }
    }

    @Override
    public void onExit(ChildProcess child, int exitCode) {
        if (child.isReleased()) {
            return;
        }
        AgentSlot slot = table.slotOf(child);
        if (slot != null) {
            table.markCrashed(slot, exitCode, "its JVM exited with code " + exitCode);
            slot.settle(new JagletProxyRef(host.address(), slot.agentId));
        }
    }
}
