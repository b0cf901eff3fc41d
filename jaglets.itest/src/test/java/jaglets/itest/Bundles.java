package jaglets.itest;

import jaglets.runtime.AgentBundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Makes variants of the examples bundle: another name or version, a compatibility, or no agent header. */
final class Bundles {
    private Bundles() {
    }

    static Path variant(Path target, Consumer<Attributes> change) {
        try (InputStream in = Files.newInputStream(HostProcess.examplesJar()); JarInputStream jar = new JarInputStream(in)) {
            Manifest manifest = new Manifest(jar.getManifest());
            change.accept(manifest.getMainAttributes());
            try (OutputStream out = Files.newOutputStream(target); JarOutputStream copy = new JarOutputStream(out, manifest)) {
                JarEntry entry;
                while ((entry = jar.getNextJarEntry()) != null) {
                    copy.putNextEntry(new JarEntry(entry.getName()));
                    jar.transferTo(copy);
                }
            }
            return target;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path withVersion(Path dir, String version) {
        return variant(dir.resolve("examples-" + version + ".jar"),
                a -> a.putValue("Bundle-Version", version));
    }

    /**
     * The example agents as bundle {@code symbolicName} {@code version}, declaring the
     * {@code Jaglet-Compatibility} given, or none when it is {@code null}.
     */
    static Path declaring(Path dir, String symbolicName, String version, String compatibility) {
        String declared = compatibility == null ? "undeclared" : compatibility;
        return variant(dir.resolve(symbolicName + "-" + version + "-" + declared + ".jar"), a -> {
            a.putValue("Bundle-SymbolicName", symbolicName);
            a.putValue("Bundle-Version", version);
            if (compatibility == null) {
                a.remove(new Attributes.Name(AgentBundle.COMPATIBILITY_HEADER));
            } else {
                a.putValue(AgentBundle.COMPATIBILITY_HEADER, compatibility);
            }
        });
    }
}
