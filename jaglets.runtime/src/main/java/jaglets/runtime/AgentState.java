package jaglets.runtime;

import jaglets.api.AgentSummary;
import jaglets.api.DeactivationPolicy;

/**
 * An agent's state as plain JSON values (maps, lists, strings, numbers, booleans, byte arrays).
 *
 * @param consistent taken under the agent's state lock (false when a handler held it too long)
 * @param policy for inactive agents, the policy that wakes them
 * @param queuedMessageCount for inactive agents, the messages waiting for them
 */
public record AgentState(AgentSummary summary, Object state, boolean consistent, DeactivationPolicy policy,
                         int queuedMessageCount) {
}
