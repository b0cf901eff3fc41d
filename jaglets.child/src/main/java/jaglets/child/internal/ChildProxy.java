package jaglets.child.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.FutureReply;
import jaglets.api.JagletException;
import jaglets.api.JagletProxy;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.WireFormat;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A proxy used by an agent in a child: every operation goes through the host. */
final class ChildProxy implements JagletProxy {
    private final ChildContext context;
    private final String agentId;
    /** The agent's host when it is not this one, else {@code null}. */
    private final String remoteHost;

    ChildProxy(ChildContext context, String agentId) {
        this(context, agentId, null);
    }

    ChildProxy(ChildContext context, String agentId, String remoteHost) {
        this.context = context;
        this.agentId = agentId;
        this.remoteHost = remoteHost;
    }

    private com.fasterxml.jackson.databind.node.ObjectNode target() {
        com.fasterxml.jackson.databind.node.ObjectNode body = ChildContext.idBody(agentId);
        if (remoteHost != null) {
            body.put("host_url", remoteHost);
        }
        return body;
    }

    @Override
    public String agentId() {
        return agentId;
    }

    @Override
    public String hostAddress() {
        return remoteHost == null ? context.hostAddress() : remoteHost;
    }

    @Override
    public AgentSummary info() {
        try {
            return Json.MAPPER.treeToValue(context.call(Ops.CTX_AGENT_INFO, target(),
                    ChildContext.CALL_TIMEOUT), AgentSummary.class);
        } catch (JsonProcessingException e) {
            throw new JagletException(ErrorType.SERIALIZATION, "unreadable agent summary: " + e.getOriginalMessage());
        }
    }

    @Override
    public Object send(Message message) {
        return send(message, SendOptions.DEFAULT);
    }

    @Override
    public Object send(Message message, SendOptions options) {
        return doSend(message, options, false);
    }

    @Override
    public void sendOneway(Message message) {
        doSend(message, SendOptions.DEFAULT, true);
    }

    @Override
    public FutureReply sendFuture(Message message) {
        return new FutureReply(CompletableFuture.supplyAsync(() -> send(message)));
    }

    private Object doSend(Message message, SendOptions options, boolean oneway) {
        ObjectNode body = target();
        Message stamped = message.sender() == null ? message.withSender(context.hostAddress()) : message;
        body.set("message", WireFormat.message(stamped));
        body.put("oneway", oneway);
        body.put("activate_if_inactive", options.activateIfInactive());
        body.put("no_delay", options.noDelay());
        Duration timeout = options.timeout() == null ? ChildContext.CALL_TIMEOUT : options.timeout();
        body.put("timeout_ms", timeout.toMillis());
        return Json.toPlain(context.call(Ops.CTX_SEND, body, timeout.plusSeconds(1)).get("result"));
    }

    @Override
    public void deactivate(DeactivationRequest request) {
        ObjectNode body = target();
        body.set("request", WireFormat.request(request));
        context.call(Ops.CTX_DEACTIVATE_OTHER, body, ChildContext.CALL_TIMEOUT);
    }

    @Override
    public void activate() {
        context.call(Ops.CTX_ACTIVATE_OTHER, target(), ChildContext.CALL_TIMEOUT);
    }

    @Override
    public void dispose() {
        context.call(Ops.CTX_DISPOSE_OTHER, target(), ChildContext.CALL_TIMEOUT);
    }
}
