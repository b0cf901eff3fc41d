package jaglets.api;

/** Which agents a listing covers. */
public enum AgentStatus {
    ACTIVE, INACTIVE, ALL
}
