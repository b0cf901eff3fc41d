package jaglets.runtime.internal.lifecycle;

import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.FutureReply;
import jaglets.api.JagletProxy;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.api.TransferTicket;
import java.util.concurrent.CompletableFuture;

/** A proxy, for host-side code, to an agent on another host, through the host's HTTP client. */
final class RemoteProxy implements JagletProxy {
    private final HostRuntime host;
    private final String hostUrl;
    private final String agentId;

    RemoteProxy(HostRuntime host, String hostUrl, String agentId) {
        this.host = host;
        this.hostUrl = hostUrl;
        this.agentId = agentId;
    }

    @Override
    public String agentId() {
        return agentId;
    }

    @Override
    public String hostAddress() {
        return hostUrl;
    }

    @Override
    public AgentSummary info() {
        return host.remoteAgents().agent(hostUrl, agentId);
    }

    @Override
    public Object send(Message message) {
        return send(message, SendOptions.DEFAULT);
    }

    @Override
    public Object send(Message message, SendOptions options) {
        return host.remoteAgents().send(hostUrl, agentId, message, options);
    }

    @Override
    public void sendOneway(Message message) {
        host.remoteAgents().sendOneway(hostUrl, agentId, message, SendOptions.DEFAULT);
    }

    @Override
    public FutureReply sendFuture(Message message) {
        return new FutureReply(CompletableFuture.supplyAsync(() -> send(message)));
    }

    @Override
    public void deactivate(DeactivationRequest request) {
        host.remoteAgents().deactivate(hostUrl, agentId, request);
    }

    @Override
    public void activate() {
        host.remoteAgents().activate(hostUrl, agentId);
    }

    @Override
    public void dispose() {
        host.remoteAgents().dispose(hostUrl, agentId);
    }

    @Override
    public JagletProxy dispatch(TransferTicket ticket) {
        return host.resolveProxy(host.remoteAgents().dispatch(hostUrl, agentId, ticket));
    }

    @Override
    public JagletProxy cloneTo(TransferTicket ticket) {
        return host.resolveProxy(host.remoteAgents().cloneAgent(hostUrl, agentId, ticket));
    }
}
