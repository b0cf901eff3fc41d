package jaglets.runtime.internal.code;

import jaglets.protocol.BundleCompatibility;
import java.nio.file.Path;
import java.util.List;

/**
 * An agent bundle version in the host's bundle store: the jar a child installs, plus the jars
 * of the bundles it is wired to (its closure), each kept so that agents keep running it after
 * the bundle left the host framework. {@code compatibility} is what the version declares for its
 * agents when they move or activate where it is missing. {@code deployedByHost} marks versions
 * deployed through the host itself (not a deploy folder): the host installs those again when it
 * restarts.
 */
public record StoredBundle(String symbolicName, String version, List<String> classes,
                           BundleCompatibility compatibility, String sha256, Path jar, List<Path> closure,
                           boolean deployed, boolean deployedByHost) {

    /** The jars a child installs: the agent bundle first. */
    public List<String> installPaths() {
        List<String> paths = new java.util.ArrayList<>();
        paths.add(jar.toString());
        closure.forEach(p -> paths.add(p.toString()));
        return paths;
    }

    StoredBundle withDeployed(boolean isDeployed) {
        return new StoredBundle(symbolicName, version, classes, compatibility, sha256, jar, closure, isDeployed,
                deployedByHost);
    }
}
