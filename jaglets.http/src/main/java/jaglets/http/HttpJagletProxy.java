package jaglets.http;

import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.FutureReply;
import jaglets.api.JagletProxy;
import jaglets.api.Message;
import jaglets.api.SendOptions;

/** A proxy to an agent on any host, through the host's HTTP API. */
public final class HttpJagletProxy implements JagletProxy {
    private final HostClient client;
    private final String hostUrl;
    private final String agentId;

    HttpJagletProxy(HostClient client, String hostUrl, String agentId) {
        this.client = client;
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
        return client.agent(hostUrl, agentId);
    }

    @Override
    public Object send(Message message) {
        return client.send(hostUrl, agentId, message, SendOptions.DEFAULT);
    }

    @Override
    public Object send(Message message, SendOptions options) {
        return client.send(hostUrl, agentId, message, options);
    }

    @Override
    public void sendOneway(Message message) {
        client.sendOneway(hostUrl, agentId, message, SendOptions.DEFAULT);
    }

    @Override
    public FutureReply sendFuture(Message message) {
        return new FutureReply(client.sendAsync(hostUrl, agentId, message, SendOptions.DEFAULT));
    }

    @Override
    public void deactivate(DeactivationRequest request) {
        client.deactivate(hostUrl, agentId, request);
    }

    @Override
    public void activate() {
        client.activate(hostUrl, agentId);
    }

    @Override
    public void dispose() {
        client.dispose(hostUrl, agentId);
    }

    @Override
    public String toString() {
        return agentId + "@" + hostUrl;
    }
}
