package jaglets.runtime.internal.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentStatus;
import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.RpcPeer;
import jaglets.protocol.WireFormat;
import jaglets.runtime.CreateRequest;
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
    private final ExecutorService executor;

    ChildCalls(HostRuntime host, AgentTable table, AgentLifecycle lifecycle, ExecutorService executor) {
        this.host = host;
        this.table = table;
        this.lifecycle = lifecycle;
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
            default -> throw new JagletException(ErrorType.HOST, "unknown host call '" + op + "'");
        };
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
        if (Ops.RUN_FAILED.equals(op)) {
            AgentSlot slot = table.slotOf(child);
            if (slot != null) {
                table.markCrashed(slot, null, "run() failed: " + body.path("error_type").asText() + ": "
                        + body.path("error").asText());
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
        }
    }
}
