package jaglets.runtime;

import java.util.List;

/**
 * An agent bundle known to a host: a bundle whose {@code Jaglet-Classes} manifest header lists
 * the agent classes it offers.
 *
 * @param deployed whether new agents may use it (an uninstalled version stays known while its
 *        agents need it)
 * @param agentCount active and inactive agents that use this version
 */
public record AgentBundle(String symbolicName, String version, List<String> classes, String sha256,
                          boolean deployed, int agentCount) {

    /** The manifest header that lists a bundle's agent classes, comma separated. */
    public static final String CLASSES_HEADER = "Jaglet-Classes";
}
