package jaglets.api;

/**
 * A handle on one agent, active or inactive. Sends go through the agent's host: one handler
 * at a time, higher priority first.
 */
public interface JagletProxy {

    String agentId();

    /** The address of the host that holds the agent. */
    String hostAddress();

    /** The agent's current summary; fails with {@link ErrorType#INVALID_AGENT} when it is gone. */
    AgentSummary info();

    default boolean isActive() {
        return info().active();
    }

    /**
     * Sends and waits for the handler's reply. An inactive agent is activated when its policy
     * allows; otherwise the message is queued and the reply is {@code {"queued": true, ...}}.
     */
    Object send(Message message);

    /** Sends with explicit delivery options. */
    Object send(Message message, SendOptions options);

    /** Enqueues and returns at once; the reply is discarded. */
    void sendOneway(Message message);

    /** Sends in the background; the reply arrives in the returned future. */
    FutureReply sendFuture(Message message);

    void deactivate(DeactivationRequest request);

    void activate();

    void dispose();

    /** Moves the agent as {@link JagletContext#dispatch} does, driven from outside; returns where it lives now. */
    JagletProxy dispatch(TransferTicket ticket);

    /** Copies the agent as {@link JagletContext#cloneTo} does; returns the copy. */
    JagletProxy cloneTo(TransferTicket ticket);

    default JagletProxyRef ref() {
        return new JagletProxyRef(hostAddress(), agentId());
    }
}
