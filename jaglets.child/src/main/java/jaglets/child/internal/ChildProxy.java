package jaglets.child.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentMovedException;
import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.FutureReply;
import jaglets.api.JagletException;
import jaglets.api.JagletProxy;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.api.TransferTicket;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.WireFormat;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A proxy used by an agent in a child: every operation goes through the host. When the agent
 * has moved, the host that no longer has it says where it went, and the proxy follows.
 */
final class ChildProxy implements JagletProxy {
    /** More hops than any sane itinerary makes between two calls; a bound against loops. */
    private static final int MAX_HOPS = 8;

    private final ChildContext context;
    private final String agentId;
    /** The agent's host when it is not this one, else {@code null}. */
    private volatile String remoteHost;

    ChildProxy(ChildContext context, String agentId) {
        this(context, agentId, null);
    }

    ChildProxy(ChildContext context, String agentId, String remoteHost) {
        this.context = context;
        this.agentId = agentId;
        this.remoteHost = remoteHost;
    }

    private ObjectNode target() {
        ObjectNode body = ChildContext.idBody(agentId);
        String host = remoteHost;
        if (host != null) {
            body.put("host_url", host);
        }
        return body;
    }

    /** Runs a call, following the agent when it turns out to have moved. */
    private <T> T following(Supplier<T> call) {
        for (int hop = 0; ; hop++) {
            try {
                return call.get();
            } catch (AgentMovedException moved) {
                if (hop >= MAX_HOPS) {
                    throw moved;
                }
                String url = moved.location().hostUrl();
                remoteHost = url == null || url.equals(context.hostAddress()) ? null : url;
            }
        }
    }

    @Override
    public String agentId() {
        return agentId;
    }

    @Override
    public String hostAddress() {
        String host = remoteHost;
        return host == null ? context.hostAddress() : host;
    }

    @Override
    public AgentSummary info() {
        return following(() -> {
            try {
                return Json.MAPPER.treeToValue(context.call(Ops.CTX_AGENT_INFO, target(),
                        ChildContext.CALL_TIMEOUT), AgentSummary.class);
            } catch (JsonProcessingException e) {
                throw new JagletException(ErrorType.SERIALIZATION, "unreadable agent summary: " + e.getOriginalMessage());
            }
        });
    }

    @Override
    public Object send(Message message) {
        return send(message, SendOptions.DEFAULT);
    }

    @Override
    public Object send(Message message, SendOptions options) {
        return following(() -> doSend(message, options, false));
    }

    @Override
    public void sendOneway(Message message) {
        following(() -> doSend(message, SendOptions.DEFAULT, true));
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
        following(() -> {
            ObjectNode body = target();
            body.set("request", WireFormat.request(request));
            return context.call(Ops.CTX_DEACTIVATE_OTHER, body, ChildContext.CALL_TIMEOUT);
        });
    }

    @Override
    public void activate() {
        following(() -> context.call(Ops.CTX_ACTIVATE_OTHER, target(), ChildContext.CALL_TIMEOUT));
    }

    @Override
    public void dispose() {
        following(() -> context.call(Ops.CTX_DISPOSE_OTHER, target(), ChildContext.CALL_TIMEOUT));
    }

    @Override
    public JagletProxy dispatch(TransferTicket ticket) {
        return move("dispatch", ticket);
    }

    @Override
    public JagletProxy cloneTo(TransferTicket ticket) {
        return move("clone", ticket);
    }

    private JagletProxy move(String action, TransferTicket ticket) {
        return following(() -> {
            ObjectNode body = target();
            body.put("action", action);
            body.set("ticket", WireFormat.ticket(ticket));
            return context.proxyFor(WireFormat.proxy(context.call(Ops.CTX_MOVE_OTHER, body,
                    ChildContext.CALL_TIMEOUT.plus(ticket.timeout().multipliedBy(ticket.retries() + 1L))).get("proxy")));
        });
    }
}
