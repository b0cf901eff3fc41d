package jaglets.runtime;

import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.JagletProxyRef;
import jaglets.api.TransferTicket;
import jaglets.api.Message;
import jaglets.api.SendOptions;

/**
 * Reaches agents on other hosts, so that agents here can use proxies to them. Provided by the
 * HTTP bundle; a host without it reaches only its own agents.
 */
public interface RemoteAgents {

    AgentSummary agent(String hostUrl, String agentId);

    Object send(String hostUrl, String agentId, Message message, SendOptions options);

    void sendOneway(String hostUrl, String agentId, Message message, SendOptions options);

    void deactivate(String hostUrl, String agentId, DeactivationRequest request);

    void activate(String hostUrl, String agentId);

    void dispose(String hostUrl, String agentId);

    JagletProxyRef dispatch(String hostUrl, String agentId, TransferTicket ticket);

    JagletProxyRef cloneAgent(String hostUrl, String agentId, TransferTicket ticket);
}
