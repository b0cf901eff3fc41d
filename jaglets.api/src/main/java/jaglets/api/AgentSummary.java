package jaglets.api;

import java.time.Instant;

/**
 * What a host tells about one agent.
 *
 * @param active running and not crashed
 * @param crashed its child JVM exited or its {@code run()} failed
 * @param exitCode the child's exit code once it has exited, else {@code null}
 * @param pid the child JVM's process id while it runs, else {@code null}
 * @param deactivatedAt when it was deactivated, for inactive agents
 * @param mailbox its mailbox counters (empty for inactive agents)
 */
public record AgentSummary(String agentId, String className, String bundleSymbolicName, String bundleVersion,
                           String hostName, String hostAddress, boolean active, boolean crashed,
                           Integer exitCode, String error, Long pid, Instant deactivatedAt,
                           MailboxStatus mailbox) {
}
