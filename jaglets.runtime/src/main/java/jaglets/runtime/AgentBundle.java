package jaglets.runtime;

import jaglets.protocol.BundleCompatibility;
import java.util.List;

/**
 * An agent bundle known to a host: a bundle whose {@code Jaglet-Classes} manifest header lists
 * the agent classes it offers.
 *
 * @param compatibility which other versions may run agents that recorded this one, as its
 *        {@code Jaglet-Compatibility} header declares; {@code null} reads as exact
 * @param deployed whether new agents may use it (an uninstalled version stays known while its
 *        agents need it)
 * @param agentCount active and inactive agents that use this version
 */
public record AgentBundle(String symbolicName, String version, List<String> classes, String sha256,
                          BundleCompatibility compatibility, boolean deployed, int agentCount) {

    /** The manifest header that lists a bundle's agent classes, comma separated. */
    public static final String CLASSES_HEADER = "Jaglet-Classes";

    /**
     * The manifest header that declares which versions may run this version's agents when they
     * move or activate where it is missing: {@code exact} (the default) or {@code major}.
     */
    public static final String COMPATIBILITY_HEADER = "Jaglet-Compatibility";

    public AgentBundle {
        classes = classes == null ? List.of() : List.copyOf(classes);
        compatibility = compatibility == null ? BundleCompatibility.EXACT : compatibility;
    }
}
