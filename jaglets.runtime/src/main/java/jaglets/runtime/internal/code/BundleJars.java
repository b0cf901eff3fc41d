package jaglets.runtime.internal.code;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.osgi.framework.Bundle;

/** Gets an installed bundle's jar as a file: its location when that is a file, else rebuilt from its entries. */
final class BundleJars {
    private BundleJars() {
    }

    /** Writes the bundle's jar to {@code target} (atomically). */
    static void copyTo(Bundle bundle, Path target) {
        Path source = fileOf(bundle.getLocation());
        try {
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            if (source != null && Files.isRegularFile(source)) {
                Files.copy(source, temp);
            } else {
                rebuild(bundle, temp);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep a copy of bundle " + bundle.getSymbolicName(), e);
        }
    }

    /** A jar with the bundle's own entries, manifest first (bundles installed from a stream). */
    private static void rebuild(Bundle bundle, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(out)) {
            URL manifest = bundle.getEntry("META-INF/MANIFEST.MF");
            if (manifest != null) {
                jar.putNextEntry(new JarEntry("META-INF/MANIFEST.MF"));
                try (InputStream in = manifest.openStream()) {
                    in.transferTo(jar);
                }
            }
            Enumeration<URL> entries = bundle.findEntries("/", "*", true);
            while (entries != null && entries.hasMoreElements()) {
                URL url = entries.nextElement();
                String name = url.getPath().startsWith("/") ? url.getPath().substring(1) : url.getPath();
                if (name.isEmpty() || name.equals("META-INF/MANIFEST.MF") || name.equals("META-INF/")) {
                    continue;
                }
                jar.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    try (InputStream in = url.openStream()) {
                        in.transferTo(jar);
                    }
                }
            }
        }
    }

    static Path fileOf(String location) {
        String loc = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        if (!loc.startsWith("file:")) {
            return null;
        }
        try {
            return Path.of(URI.create(loc));
        } catch (IllegalArgumentException e) {
            return Path.of(loc.substring("file:".length()));
        }
    }
}
