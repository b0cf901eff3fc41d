package jaglets.http.internal;

import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.JagletProxyRef;
import jaglets.api.Message;
import jaglets.api.TransferTicket;
import jaglets.api.SendOptions;
import jaglets.http.HostClient;
import jaglets.runtime.RemoteAgents;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Agents on other hosts, reached through their HTTP API with this host's own API key (hosts of
 * one mesh share it).
 */
@Component(service = RemoteAgents.class)
public final class HttpRemoteAgents implements RemoteAgents {
    private HostClient client;

    @Activate
    void activate(BundleContext context) {
        client = HostKey.client(context);
    }

    @Override
    public AgentSummary agent(String hostUrl, String agentId) {
        return client.agent(hostUrl, agentId);
    }

    @Override
    public Object send(String hostUrl, String agentId, Message message, SendOptions options) {
        return client.send(hostUrl, agentId, message, options);
    }

    @Override
    public void sendOneway(String hostUrl, String agentId, Message message, SendOptions options) {
        client.sendOneway(hostUrl, agentId, message, options);
    }

    @Override
    public void deactivate(String hostUrl, String agentId, DeactivationRequest request) {
        client.deactivate(hostUrl, agentId, request);
    }

    @Override
    public void activate(String hostUrl, String agentId) {
        client.activate(hostUrl, agentId);
    }

    @Override
    public void dispose(String hostUrl, String agentId) {
        client.dispose(hostUrl, agentId);
    }

    @Override
    public JagletProxyRef dispatch(String hostUrl, String agentId, TransferTicket ticket) {
        return client.dispatch(hostUrl, agentId, ticket).ref();
    }

    @Override
    public JagletProxyRef cloneAgent(String hostUrl, String agentId, TransferTicket ticket) {
        return client.cloneAgent(hostUrl, agentId, ticket).ref();
    }

    /** The client this host uses for every other host (one pool of kept-alive connections). */
    HostClient client() {
        return client;
    }
}
