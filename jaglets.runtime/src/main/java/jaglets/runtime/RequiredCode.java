package jaglets.runtime;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.protocol.BundleCompatibility;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.osgi.framework.Version;

/**
 * The code an agent needs when it moves or activates: the bundle version it recorded, its class,
 * and the compatibility that version declares. A target choosing the bundle to run the agent and
 * a source checking a target in its preflight apply the same {@link #chooseFrom}, so they agree.
 *
 * @param compatibility {@code null} reads as {@link BundleCompatibility#EXACT}
 */
public record RequiredCode(String symbolicName, String version, String className,
                           BundleCompatibility compatibility) {

    public RequiredCode {
        compatibility = compatibility == null ? BundleCompatibility.EXACT : compatibility;
        parse(version);
    }

    /**
     * The installed bundle that runs the agent: its recorded version, deployed or not (agents
     * that exist may always run their own version); else, when the recorded version declares
     * {@link BundleCompatibility#MAJOR}, the newest deployed version with the same major number
     * that offers the agent's class. A version that is not deployed was withdrawn from new use,
     * so it stands in for no other. Empty when nothing fits.
     */
    public Optional<AgentBundle> chooseFrom(Collection<AgentBundle> installed) {
        Version recorded = parse(version);
        Optional<AgentBundle> exact = installed.stream()
                .filter(b -> b.symbolicName().equals(symbolicName) && parse(b.version()).equals(recorded))
                .findFirst();
        if (exact.isPresent() || compatibility == BundleCompatibility.EXACT) {
            return exact;
        }
        return installed.stream()
                .filter(b -> b.symbolicName().equals(symbolicName) && b.deployed() && b.classes().contains(className))
                .filter(b -> parse(b.version()).getMajor() == recorded.getMajor())
                .max(Comparator.comparing(b -> parse(b.version())));
    }

    /** Whether {@code bundleVersion} is another version than the recorded one. */
    public boolean isSubstitutedBy(String bundleVersion) {
        return !parse(bundleVersion).equals(parse(version));
    }

    /**
     * What this code accepts, for messages that say what is missing:
     * {@code com.example.agents 1.2.0}, or with {@code major}
     * {@code com.example.agents 1.2.0 (or a deployed 1.x version offering com.example.Counter)}.
     */
    public String describe() {
        String exact = symbolicName + " " + version;
        return compatibility == BundleCompatibility.EXACT ? exact
                : exact + " (or a deployed " + parse(version).getMajor() + ".x version offering " + className + ")";
    }

    private static Version parse(String version) {
        try {
            return Version.parseVersion(version);
        } catch (IllegalArgumentException e) {
            throw new JagletException(ErrorType.BAD_REQUEST, "'" + version + "' is not a bundle version");
        }
    }
}
