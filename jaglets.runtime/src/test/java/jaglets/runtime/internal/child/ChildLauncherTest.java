package jaglets.runtime.internal.child;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildLauncherTest {

    @TempDir
    Path dir;

    private Path jarWithExports(String exportPackage) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", "test.bundle");
        if (exportPackage != null) {
            manifest.getMainAttributes().putValue("Export-Package", exportPackage);
        }
        Path jar = dir.resolve("bundle-" + Integer.toHexString(String.valueOf(exportPackage).hashCode()) + ".jar");
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new ZipEntry("test/Thing.class"));
            out.write(new byte[] {(byte) 0xca, (byte) 0xfe});
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void exportsKeepNamesAndVersionsAndDropDirectives() throws IOException {
        // long enough that the manifest wraps it over several lines, as bnd's headers are
        String header = "jaglets.api;uses:=\"jaglets.protocol,com.fasterxml.jackson.databind\";version=\"0.1.0\","
                + "com.fasterxml.jackson.core;version=\"2.22.4\";uses:=\"a.b,c.d\","
                + "plain.pkg,"
                + "multi.one;multi.two;version=1.0;mandatory:=\"x,y\";vendor=acme";

        assertEquals("jaglets.api;version=\"0.1.0\","
                        + "com.fasterxml.jackson.core;version=\"2.22.4\","
                        + "plain.pkg,"
                        + "multi.one;version=\"1.0\",multi.two;version=\"1.0\"",
                ChildLauncher.exportedPackages(jarWithExports(header)));
    }

    @Test
    void jarWithoutExportsExportsNothing() throws IOException {
        assertEquals("", ChildLauncher.exportedPackages(jarWithExports(null)));
    }

    @Test
    void jarWithoutManifestExportsNothing() throws IOException {
        Path jar = dir.resolve("plain.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.closeEntry();
        }
        assertEquals("", ChildLauncher.exportedPackages(jar));
    }

    @Test
    void splittingIgnoresSeparatorsInsideQuotes() {
        assertEquals(List.of("a;uses:=\"x,y\"", "b;version=\"1\""),
                ChildLauncher.splitOutsideQuotes("a;uses:=\"x,y\",b;version=\"1\"", ','));
        assertEquals(List.of("a", "b=\"x;y\"", "c"), ChildLauncher.splitOutsideQuotes("a;b=\"x;y\";c", ';'));
    }

    @Test
    void splittingKeepsEmptyParts() {
        assertEquals(List.of("a", "", "b", ""), ChildLauncher.splitOutsideQuotes("a,,b,", ','));
        assertEquals(List.of(""), ChildLauncher.splitOutsideQuotes("", ','));
    }
}
