package jaglets.api;

/**
 * The agent is no longer on the host that was asked: it moved, and {@link #location()} says
 * where to. Proxies catch it and follow; other callers can resend there.
 */
public class AgentMovedException extends JagletException {
    private static final long serialVersionUID = 1L;
    private final JagletProxyRef location;

    public AgentMovedException(String agentId, JagletProxyRef location) {
        super(ErrorType.INVALID_AGENT, "agent " + agentId + " moved to " + location.hostUrl());
        this.location = location;
    }

    /** Where the agent went (its id there included). */
    public JagletProxyRef location() {
        return location;
    }
}
