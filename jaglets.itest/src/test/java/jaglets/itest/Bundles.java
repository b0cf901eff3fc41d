package jaglets.itest;

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

/** Makes variants of the examples bundle: another version, or no agent header. */
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
}
