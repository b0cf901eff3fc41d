package jaglets.runtime;

import jaglets.api.AgentSummary;
import java.util.List;

/** One page of an agent listing and how many agents the whole listing has. */
public record AgentListing(List<AgentSummary> agents, int total) {
}
