package jaglets.http;

import jaglets.api.AgentMovedException;
import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.FutureReply;
import jaglets.api.JagletProxy;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.api.TransferTicket;
import java.util.function.Supplier;

/**
 * A proxy to an agent on any host, through the host's HTTP API. When the agent has moved, the
 * host it left says where it went, and the proxy follows.
 */
public final class HttpJagletProxy implements JagletProxy {
    /** More hops than any sane itinerary makes between two calls; a bound against loops. */
    private static final int MAX_HOPS = 8;

    private final HostClient client;
    private final String agentId;
    private volatile String hostUrl;

    HttpJagletProxy(HostClient client, String hostUrl, String agentId) {
        this.client = client;
        this.hostUrl = hostUrl;
        this.agentId = agentId;
    }

    private <T> T following(Supplier<T> call) {
        for (int hop = 0; ; hop++) {
            try {
                return call.get();
            } catch (AgentMovedException moved) {
                if (hop >= MAX_HOPS || moved.location().hostUrl() == null) {
                    throw moved;
                }
                hostUrl = moved.location().hostUrl();
            }
        }
    }

    private void following(Runnable call) {
        following(() -> {
            call.run();
            return null;
        });
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
        return following(() -> client.agent(hostUrl, agentId));
    }

    @Override
    public Object send(Message message) {
        return send(message, SendOptions.DEFAULT);
    }

    @Override
    public Object send(Message message, SendOptions options) {
        return following(() -> client.send(hostUrl, agentId, message, options));
    }

    @Override
    public void sendOneway(Message message) {
        following(() -> client.sendOneway(hostUrl, agentId, message, SendOptions.DEFAULT));
    }

    @Override
    public FutureReply sendFuture(Message message) {
        return new FutureReply(client.sendAsync(hostUrl, agentId, message, SendOptions.DEFAULT));
    }

    @Override
    public void deactivate(DeactivationRequest request) {
        following(() -> client.deactivate(hostUrl, agentId, request));
    }

    @Override
    public void activate() {
        following(() -> client.activate(hostUrl, agentId));
    }

    @Override
    public void dispose() {
        following(() -> client.dispose(hostUrl, agentId));
    }

    @Override
    public JagletProxy dispatch(TransferTicket ticket) {
        return following(() -> client.dispatch(hostUrl, agentId, ticket));
    }

    @Override
    public JagletProxy cloneTo(TransferTicket ticket) {
        return following(() -> client.cloneAgent(hostUrl, agentId, ticket));
    }

    @Override
    public String toString() {
        return agentId + "@" + hostUrl;
    }
}
