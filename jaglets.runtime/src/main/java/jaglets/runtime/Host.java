package jaglets.runtime;

import jaglets.api.AgentStatus;
import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.JagletProxy;
import jaglets.api.JagletProxyRef;
import jaglets.api.TransferTicket;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One jaglets host: its agents (each active one in its own child JVM), their inactive records,
 * its agent bundles and its event log. Every operation fails with a
 * {@link jaglets.api.JagletException} whose type tells why.
 */
public interface Host {

    String name();

    String address();

    /** Creates and starts an agent; returns once its {@code onCreation} hook has run. */
    AgentSummary create(CreateRequest request);

    /**
     * Sends a message. The future completes with the handler's reply (plain JSON values), with
     * {@code {"queued": true, "message_id": ...}} when it was stored for an inactive agent, or
     * fails with the handler's error.
     */
    CompletableFuture<Object> send(String agentId, Message message, SendOptions options);

    /** Sends and waits for the reply (at most the options' timeout, else the host's default). */
    Object call(String agentId, Message message, SendOptions options);

    /** Enqueues a message; activation of an inactive target, if any, has happened when this returns. */
    void sendOneway(String agentId, Message message, SendOptions options);

    AgentSummary deactivate(String agentId, DeactivationRequest request);

    AgentSummary activate(String agentId);

    void dispose(String agentId);

    /**
     * Moves an agent to the ticket's host (an inactive one is activated first): preflight, then
     * {@code onDispatching} in the agent, then the two-step hand-over. Returns where the agent
     * lives once its {@code run()} there has returned or it moved on (bounded wait). On failure
     * the agent stays here, active.
     */
    JagletProxyRef dispatch(String agentId, TransferTicket ticket);

    /** Copies an active agent, under a new id, to the ticket's host (this one if it names none). */
    JagletProxyRef cloneAgent(String agentId, TransferTicket ticket);

    /** Brings an agent from another host to this one ({@code onReverting} there, {@code onArrival} here). */
    JagletProxyRef retract(String hostUrl, String agentId);

    /** Serves another host's retract: moves a local agent to {@code targetUrl} with the retract hooks. */
    JagletProxyRef retractTo(String agentId, String targetUrl);

    /** One agent, active, inactive or crashed. */
    AgentSummary agent(String agentId);

    List<AgentSummary> agents(AgentStatus which);

    /** A page of {@link #agents(AgentStatus)}, in agent id order, with the total count. */
    AgentListing agents(AgentStatus which, int offset, int limit);

    AgentState state(String agentId);

    JagletProxy proxy(String agentId);

    List<HostEvent> events(long sinceEventId, int limit);

    void addListener(HostEventListener listener);

    void removeListener(HostEventListener listener);

    List<AgentBundle> bundles();

    /** Installs or updates an agent bundle; new agents can use it when this returns. */
    AgentBundle deploy(Path bundleJar);

    /** Removes a bundle version; refused while an active or inactive agent uses it. */
    void uninstall(String symbolicName, String version);

    HostHealth health();
}
