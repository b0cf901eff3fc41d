package jaglets.runtime.internal.code;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.protocol.BundleCompatibility;
import jaglets.runtime.AgentBundle;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What an agent bundle declares in its manifest: the agent classes it offers
 * ({@code Jaglet-Classes}) and which versions may run its agents where it is missing
 * ({@code Jaglet-Compatibility}). Read the same way from a jar being deployed and from a bundle
 * the framework already holds.
 */
record AgentDeclarations(List<String> classes, BundleCompatibility compatibility) {

    /**
     * Reads the declarations through {@code header} (a manifest attribute or bundle header
     * lookup). A missing classes header gives no classes; callers that require it check first.
     *
     * @throws JagletException {@code CODE} when the compatibility is not a known value, so a bundle
     *         that means something else is refused rather than treated as exact
     */
    static AgentDeclarations read(String symbolicName, String version, Function<String, String> header) {
        String listed = header.apply(AgentBundle.CLASSES_HEADER);
        List<String> classes = listed == null ? List.of() : Arrays.stream(listed.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        String declared = header.apply(AgentBundle.COMPATIBILITY_HEADER);
        try {
            return new AgentDeclarations(classes, BundleCompatibility.fromDeclaration(declared));
        } catch (IllegalArgumentException e) {
            throw new JagletException(ErrorType.CODE, "bundle " + symbolicName + " " + version + " declares "
                    + AgentBundle.COMPATIBILITY_HEADER + ": " + e.getMessage());
        }
    }
}
