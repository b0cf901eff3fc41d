package jaglets.runtime.internal.lifecycle;

import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.FutureReply;
import jaglets.api.JagletProxy;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.api.TransferTicket;

/** A proxy for an agent of this host, used by host-side code (shell, services, tests). */
final class LocalProxy implements JagletProxy {
    private final HostRuntime host;
    private final String agentId;

    LocalProxy(HostRuntime host, String agentId) {
        this.host = host;
        this.agentId = agentId;
    }

    @Override
    public String agentId() {
        return agentId;
    }

    @Override
    public String hostAddress() {
        return host.address();
    }

    @Override
    public AgentSummary info() {
        return host.agent(agentId);
    }

    @Override
    public Object send(Message message) {
        return host.call(agentId, message, SendOptions.DEFAULT);
    }

    @Override
    public Object send(Message message, SendOptions options) {
        return host.call(agentId, message, options);
    }

    @Override
    public void sendOneway(Message message) {
        host.sendOneway(agentId, message, SendOptions.DEFAULT);
    }

    @Override
    public FutureReply sendFuture(Message message) {
        return new FutureReply(host.send(agentId, message, SendOptions.DEFAULT));
    }

    @Override
    public void deactivate(DeactivationRequest request) {
        host.deactivate(agentId, request);
    }

    @Override
    public void activate() {
        host.activate(agentId);
    }

    @Override
    public void dispose() {
        host.dispose(agentId);
    }

    @Override
    public JagletProxy dispatch(TransferTicket ticket) {
        return host.resolveProxy(host.dispatch(agentId, ticket));
    }

    @Override
    public JagletProxy cloneTo(TransferTicket ticket) {
        return host.resolveProxy(host.cloneAgent(agentId, ticket));
    }
}
