package jaglets.runtime.internal.child;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts child JVMs: the same JDK as the host, tuned for many small processes, from a plain
 * class path (the child boots its own framework). A class-data archive, recorded once per JDK
 * by a training run, cuts the boot time by about a third.
 */
public final class ChildLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(ChildLauncher.class);
    /** Room reserved on a pool child's command line for the agent id it gets later. */
    static final int AGENT_ID_ROOM = 128;
    static final String POOLED_PLACEHOLDER = "pooled";
    /** A child's {@code -Djaglets.agent.id} until its agent is known: the placeholder, padded to that room. */
    private static final String AGENT_ID_ARGUMENT = "-Djaglets.agent.id=" + POOLED_PLACEHOLDER
            + "_".repeat(AGENT_ID_ROOM - POOLED_PLACEHOLDER.length());

    private final Path libDir;
    private final Path childrenDir;
    private final Path systemPackagesFile;
    private final Path archive;
    private final ChildServer server;
    private final String javaExecutable;
    private final String heap;
    private final List<String> classPath;
    private volatile boolean archiveReady;

    /**
     * @param jars the child's class path jars by file name, read from the runtime bundle
     * @param cacheDir where the jars, the archive and the system packages list are kept
     */
    public ChildLauncher(Map<String, InputStreamSupplier> jars, Path cacheDir, Path childrenDir, ChildServer server,
                         String heap) {
        this.server = server;
        this.heap = heap;
        this.childrenDir = childrenDir;
        this.javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.libDir = cacheDir.resolve("child-lib");
        this.systemPackagesFile = cacheDir.resolve("child-system-packages.txt");
        String jdk = Runtime.version().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        this.archive = cacheDir.resolve("child-" + jdk + ".jsa");
        try {
            Files.createDirectories(libDir);
            // folders of children from a previous run that ended without cleaning up (kill -9)
            jaglets.runtime.internal.storage.ClassStorage.deleteTree(childrenDir);
            Files.createDirectories(childrenDir);
            classPath = new ArrayList<>();
            StringBuilder packages = new StringBuilder();
            for (Map.Entry<String, InputStreamSupplier> jar : jars.entrySet()) {
                Path target = libDir.resolve(jar.getKey());
                try (InputStream in = jar.getValue().open()) {
                    Path temp = libDir.resolve(jar.getKey() + "." + UUID.randomUUID() + ".tmp");
                    Files.copy(in, temp);
                    if (Files.exists(target) && Files.mismatch(temp, target) == -1) {
                        Files.delete(temp);
                    } else {
                        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                        Files.deleteIfExists(archive); // the archive must match the class path exactly
                    }
                }
                classPath.add(target.toString());
                String exports = exportedPackages(target);
                if (!exports.isEmpty() && !jar.getKey().startsWith("jaglets.child")
                        && !jar.getKey().startsWith("jaglets.protocol")
                        && !jar.getKey().startsWith("org.apache.felix.framework")) {
                    packages.append(packages.length() == 0 ? "" : ",").append(exports);
                }
            }
            Files.writeString(systemPackagesFile, packages.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the child class path in " + cacheDir, e);
        }
        archiveReady = Files.exists(archive);
    }

    /** Opens one embedded jar. */
    @FunctionalInterface
    public interface InputStreamSupplier {
        InputStream open() throws IOException;
    }

    /**
     * Starts a child that connects back to the host. A pool child ({@code warmUp}) first runs the
     * warm-up, which makes its agent's first steps fast; one started for an agent that waits for
     * it (the pool was empty) connects at once, since the warm-up takes longer than it saves.
     */
    public ChildProcess launch(boolean warmUp) {
        String token = UUID.randomUUID().toString();
        Path childDir = childrenDir.resolve(token.substring(0, 13));
        List<String> command = baseCommand(childDir, archiveReady ? List.of("-XX:SharedArchiveFile=" + archive,
                "-Xshare:auto") : List.of());
        command.add(1, AGENT_ID_ARGUMENT);
        command.add(server.socketPath().toString());
        command.add(token);
        command.add(childDir.toString());
        command.add(systemPackagesFile.toString());
        if (!warmUp) {
            command.add("--no-warm-up");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MALLOC_ARENA_MAX", "1");
        try {
            Files.createDirectories(childDir);
            Process process = builder.start();
            ChildProcess child = new ChildProcess(process, token, childDir);
            server.expect(child);
            child.connected().whenComplete((c, e) -> server.forget(child));
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM", e);
        }
    }

    /**
     * Records the class-data archive for this JDK if there is none. Runs a child that boots and
     * exits; blocks until it has, so call it off the start-up path.
     */
    public void recordArchiveIfMissing() {
        if (archiveReady) {
            return;
        }
        Path trainDir = childrenDir.resolve("train-" + UUID.randomUUID().toString().substring(0, 8));
        Path temp = archive.resolveSibling(archive.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8)
                + ".tmp");
        List<String> command = baseCommand(trainDir, List.of("-XX:ArchiveClassesAtExit=" + temp));
        command.add(1, AGENT_ID_ARGUMENT);
        command.add("--train");
        command.add(trainDir.toString());
        command.add(systemPackagesFile.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            int code = process.waitFor();
            if (code == 0 && Files.exists(temp)) {
                Files.move(temp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                archiveReady = true;
                LOG.info("recorded the child class-data archive {}", archive);
            } else {
                LOG.warn("the child class-data training run exited with {}; children start without an archive", code);
            }
        } catch (IOException e) {
            LOG.warn("could not record the child class-data archive: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover temporary archive is harmless and overwritten next time
            }
            jaglets.runtime.internal.storage.ClassStorage.deleteTree(trainDir);
        }
    }

    public boolean archiveReady() {
        return archiveReady;
    }

    private List<String> baseCommand(Path childDir, List<String> archiveFlags) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable);
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss256k", "-Xms4m", "-Xmx" + heap,
                "-XX:ReservedCodeCacheSize=16m", "-XX:CICompilerCount=1", "-XX:MaxMetaspaceSize=96m",
                "-XX:-UsePerfData",
                // class-data archives mapped where they were recorded stay shared among children; relocated
                // (the JDK's default, for address randomisation) each child writes its own ~10 MiB copy of each
                "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0",
                "-Djava.io.tmpdir=" + childDir));
        command.addAll(archiveFlags);
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classPath));
        command.add("jaglets.child.ChildMain");
        return command;
    }

    /** The {@code Export-Package} of a jar as {@code name;version=v} clauses, directives dropped. */
    static String exportedPackages(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String header = manifest == null ? null : manifest.getMainAttributes().getValue("Export-Package");
            if (header == null) {
                return "";
            }
            List<String> clauses = new ArrayList<>();
            for (String clause : splitOutsideQuotes(header, ',')) {
                List<String> parts = splitOutsideQuotes(clause, ';');
                String version = null;
                List<String> names = new ArrayList<>();
                for (String part : parts) {
                    String p = part.trim();
                    if (p.startsWith("version=")) {
                        version = p.substring("version=".length()).replace("\"", "");
                    } else if (!p.contains("=")) {
                        names.add(p);
                    }
                }
                for (String name : names) {
                    clauses.add(version == null ? name : name + ";version=\"" + version + "\"");
                }
            }
            return String.join(",", clauses);
        }
    }

    static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
