package jaglets.runtime.internal.code;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.protocol.BundleCompatibility;
import jaglets.protocol.Json;
import jaglets.runtime.AgentBundle;
import jaglets.runtime.RequiredCode;
import jaglets.runtime.internal.persistence.DurableFiles;
import jaglets.runtime.internal.storage.ClassStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent bundles a host knows, by symbolic name and version. Bundles arrive through the host
 * framework (a deploy folder watched by FileInstall, a shell) or through
 * {@link #deploy}; each version is copied into the host's bundle store together with the
 * bundles it is wired to, so children install exactly that code and keep it after the bundle
 * left the framework.
 */
public final class BundleRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BundleRegistry.class);
    private static final String LOCATION_PREFIX = "jaglets:";

    private final BundleContext context;
    private final Path storeDir;
    private final Map<String, StoredBundle> bundles = new ConcurrentHashMap<>();
    private final BundleTracker<String> tracker;

    public BundleRegistry(BundleContext context, Path storeDir) {
        this.context = context;
        this.storeDir = storeDir;
        loadStore();
        reinstallHostDeployed();
        this.tracker = new BundleTracker<>(context, Bundle.INSTALLED | Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE,
                null) {
            @Override
            public String addingBundle(Bundle bundle, BundleEvent event) {
                if (bundle.getHeaders("").get(AgentBundle.CLASSES_HEADER) == null) {
                    return null;
                }
                try {
                    return register(bundle).symbolicName();
                } catch (RuntimeException e) {
                    LOG.warn("agent bundle {} {} could not be registered: {}", bundle.getSymbolicName(),
                            bundle.getVersion(), e.getMessage());
                    return null;
                }
            }

            @Override
            public void modifiedBundle(Bundle bundle, BundleEvent event, String key) {
                if (event != null && event.getType() == BundleEvent.UPDATED) {
                    try {
                        register(bundle); // same version, new content: keep the new jar
                    } catch (RuntimeException e) {
                        LOG.warn("updated agent bundle {} {} could not be registered: {}", bundle.getSymbolicName(),
                                bundle.getVersion(), e.getMessage());
                    }
                }
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, String key) {
                if (bundle.getState() == Bundle.UNINSTALLED) {
                    bundles.computeIfPresent(key(bundle.getSymbolicName(), bundle.getVersion().toString()),
                            (k, stored) -> persistMeta(stored.withDeployed(false)));
                }
            }
        };
        tracker.open();
    }

    /** Every known agent bundle version, newest first within a name. */
    public List<StoredBundle> list() {
        return bundles.values().stream()
                .sorted(Comparator.comparing(StoredBundle::symbolicName)
                        .thenComparing(b -> Version.parseVersion(b.version()), Comparator.reverseOrder()))
                .collect(Collectors.toList());
    }

    /** The stored bundle of an exact version, deployed or not (agents that exist may run it). */
    public Optional<StoredBundle> find(String symbolicName, String version) {
        return Optional.ofNullable(bundles.get(key(symbolicName, version)));
    }

    /**
     * The stored bundle that runs an agent needing {@code code}: its exact version, or one its
     * declared compatibility admits (the rule of {@link RequiredCode#chooseFrom}, which a source's
     * preflight applies to this host's listing too).
     */
    public Optional<StoredBundle> choose(RequiredCode code) {
        List<AgentBundle> installed = bundles.values().stream().map(b -> view(b, 0)).toList();
        return code.chooseFrom(installed).flatMap(chosen -> find(chosen.symbolicName(), chosen.version()));
    }

    /**
     * The bundle new agents of {@code className} use: the given version, or the newest deployed
     * one that lists the class.
     */
    public StoredBundle resolve(String className, String version) {
        List<StoredBundle> offering = bundles.values().stream()
                .filter(StoredBundle::deployed)
                .filter(b -> b.classes().contains(className))
                .sorted(Comparator.comparing((StoredBundle b) -> Version.parseVersion(b.version())).reversed())
                .toList();
        if (offering.isEmpty()) {
            String known = bundles.values().stream().filter(StoredBundle::deployed)
                    .flatMap(b -> b.classes().stream()).distinct().sorted().collect(Collectors.joining(", "));
            throw new JagletException(ErrorType.CODE, "no deployed bundle offers agent class " + className
                    + (known.isEmpty() ? "; no agent bundle is deployed" : "; deployed agent classes: " + known));
        }
        if (version == null || version.isBlank()) {
            return offering.get(0);
        }
        Version wanted;
        try {
            wanted = Version.parseVersion(version);
        } catch (IllegalArgumentException e) {
            throw new JagletException(ErrorType.BAD_REQUEST, "'" + version + "' is not a bundle version");
        }
        return offering.stream().filter(b -> Version.parseVersion(b.version()).equals(wanted)).findFirst()
                .orElseThrow(() -> new JagletException(ErrorType.CODE, "agent class " + className
                        + " is not offered in bundle version " + version + "; deployed versions: "
                        + offering.stream().map(StoredBundle::version).collect(Collectors.joining(", "))));
    }

    /** Installs (or updates) an agent bundle from a jar file; it is usable when this returns. */
    public StoredBundle deploy(Path jar) {
        Manifest manifest = readManifest(jar);
        String symbolicName = symbolicName(manifest);
        String version = manifest.getMainAttributes().getValue("Bundle-Version");
        version = version == null ? "0.0.0" : Version.parseVersion(version.trim()).toString();
        if (manifest.getMainAttributes().getValue(AgentBundle.CLASSES_HEADER) == null) {
            throw new JagletException(ErrorType.CODE, "bundle " + symbolicName + " " + version + " has no "
                    + AgentBundle.CLASSES_HEADER + " header listing its agent classes; it is not an agent bundle");
        }
        // refused before it reaches the framework, where a bundle that fails to register would linger
        AgentDeclarations.read(symbolicName, version, manifest.getMainAttributes()::getValue);
        Path stored = storeJar(jar, symbolicName, version);
        String location = LOCATION_PREFIX + symbolicName + "/" + version;
        try (InputStream in = Files.newInputStream(stored)) {
            Bundle existing = findInstalled(symbolicName, version);
            Bundle bundle;
            if (existing != null) {
                existing.update(in);
                bundle = existing;
            } else {
                bundle = context.installBundle(location, in);
            }
            return register(bundle);
        } catch (BundleException e) {
            throw new JagletException(ErrorType.CODE, "bundle " + symbolicName + " " + version
                    + " could not be installed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes a version. Refused while {@code agentsUsing} active or inactive agents need it.
     */
    public void uninstall(String symbolicName, String version, int agentsUsing) {
        String normalized = normalizeVersion(version);
        StoredBundle stored = bundles.get(key(symbolicName, normalized));
        if (stored == null) {
            throw new JagletException(ErrorType.CODE, "no agent bundle " + symbolicName + " " + version
                    + " on this host; known: " + list().stream().map(b -> b.symbolicName() + " " + b.version())
                    .collect(Collectors.joining(", ")));
        }
        if (agentsUsing > 0) {
            throw new JagletException(ErrorType.CONFLICT, "bundle " + symbolicName + " " + normalized + " is used by "
                    + agentsUsing + " agent(s); dispose them or let them move first");
        }
        Bundle installed = findInstalled(symbolicName, normalized);
        if (installed != null) {
            try {
                installed.uninstall();
            } catch (BundleException e) {
                throw new JagletException(ErrorType.HOST, "could not uninstall " + symbolicName + " " + normalized
                        + ": " + e.getMessage(), e);
            }
        }
        bundles.remove(key(symbolicName, normalized));
        ClassStorage.deleteTree(storeDir.resolve(symbolicName).resolve(normalized));
    }

    private StoredBundle register(Bundle bundle) {
        String symbolicName = bundle.getSymbolicName();
        String version = bundle.getVersion().toString();
        AgentDeclarations declared = AgentDeclarations.read(symbolicName, version, bundle.getHeaders("")::get);
        List<String> classes = declared.classes();
        Path jar;
        if (bundle.getLocation().startsWith(LOCATION_PREFIX)) {
            jar = currentJar(symbolicName, version);
        } else {
            Path copy = storeDir.resolve(symbolicName).resolve(version).resolve("incoming.jar");
            BundleJars.copyTo(bundle, copy);
            jar = storeJar(copy, symbolicName, version);
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<Path> closure = storeClosure(bundle, symbolicName, version);
        StoredBundle stored = new StoredBundle(symbolicName, version, classes, declared.compatibility(), sha256(jar),
                jar, closure, true, bundle.getLocation().startsWith(LOCATION_PREFIX));
        bundles.put(key(symbolicName, version), persistMeta(stored));
        LOG.info("agent bundle {} {} offers {} (compatibility {})", symbolicName, version, classes,
                declared.compatibility().wireName());
        return stored;
    }

    /** Copies the jars of the bundles this bundle is wired to, except what every child has. */
    private List<Path> storeClosure(Bundle bundle, String symbolicName, String version) {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        wiring.resolveBundles(List.of(bundle));
        BundleWiring bundleWiring = bundle.adapt(BundleWiring.class);
        if (bundleWiring == null) {
            throw new JagletException(ErrorType.CODE, "bundle " + symbolicName + " " + version
                    + " does not resolve on this host; check its Import-Package against the host's bundles");
        }
        List<Path> closure = new ArrayList<>();
        collectClosure(bundleWiring, closure, new java.util.HashSet<>(List.of(bundle.getBundleId())),
                storeDir.resolve(symbolicName).resolve(version).resolve("lib"));
        return closure;
    }

    private void collectClosure(BundleWiring wiring, List<Path> closure, java.util.Set<Long> seen, Path libDir) {
        for (BundleWire wire : wiring.getRequiredWires(null)) {
            Bundle provider = wire.getProvider().getBundle();
            if (!seen.add(provider.getBundleId()) || providedByEveryChild(provider)) {
                continue;
            }
            Path target = libDir.resolve(provider.getSymbolicName() + "-" + provider.getVersion() + ".jar");
            BundleJars.copyTo(provider, target);
            closure.add(target);
            BundleWiring next = provider.adapt(BundleWiring.class);
            if (next != null) {
                collectClosure(next, closure, seen, libDir);
            }
        }
    }

    private static boolean providedByEveryChild(Bundle provider) {
        String name = provider.getSymbolicName();
        return provider.getBundleId() == 0 || name == null || name.equals("jaglets.api")
                || name.startsWith("com.fasterxml.jackson");
    }

    private Bundle findInstalled(String symbolicName, String version) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && b.getVersion().toString().equals(version)) {
                return b;
            }
        }
        return null;
    }

    private Path storeJar(Path source, String symbolicName, String version) {
        String sha = sha256(source);
        Path dir = storeDir.resolve(symbolicName).resolve(version);
        Path target = dir.resolve(sha.substring(0, 16) + ".jar");
        try {
            Files.createDirectories(dir);
            if (!Files.exists(target)) {
                Path temp = dir.resolve(UUID.randomUUID() + ".tmp");
                Files.copy(source, temp);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.writeString(dir.resolve("current"), target.getFileName().toString());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path currentJar(String symbolicName, String version) {
        Path dir = storeDir.resolve(symbolicName).resolve(version);
        try {
            return dir.resolve(Files.readString(dir.resolve("current")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StoredBundle persistMeta(StoredBundle stored) {
        ObjectNode meta = Json.object();
        meta.put("symbolic_name", stored.symbolicName());
        meta.put("version", stored.version());
        meta.set("classes", Json.toTree(stored.classes()));
        meta.put("compatibility", stored.compatibility().wireName());
        meta.put("sha256", stored.sha256());
        meta.put("jar", stored.jar().toString());
        meta.set("closure", Json.toTree(stored.closure().stream().map(Path::toString).toList()));
        meta.put("deployed", stored.deployed());
        meta.put("deployed_by_host", stored.deployedByHost());
        try {
            DurableFiles.writeAtomically(storeDir.resolve(stored.symbolicName()).resolve(stored.version())
                    .resolve("meta.json"), Json.MAPPER.writeValueAsBytes(meta));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stored;
    }

    private void loadStore() {
        if (!Files.isDirectory(storeDir)) {
            return;
        }
        try (DirectoryStream<Path> names = Files.newDirectoryStream(storeDir)) {
            for (Path name : names) {
                try (DirectoryStream<Path> versions = Files.newDirectoryStream(name)) {
                    for (Path versionDir : versions) {
                        Path metaFile = versionDir.resolve("meta.json");
                        if (!Files.exists(metaFile)) {
                            continue;
                        }
                        JsonNode meta = Json.MAPPER.readTree(metaFile.toFile());
                        List<String> classes = new ArrayList<>();
                        meta.path("classes").forEach(c -> classes.add(c.asText()));
                        List<Path> closure = new ArrayList<>();
                        meta.path("closure").forEach(c -> closure.add(Path.of(c.asText())));
                        String symbolicName = meta.path("symbolic_name").asText();
                        String version = meta.path("version").asText();
                        Path jar = Path.of(meta.path("jar").asText());
                        // deployed again once the framework has it (the tracker re-registers it)
                        StoredBundle stored = new StoredBundle(symbolicName, version, classes,
                                storedCompatibility(meta, symbolicName, version, jar), meta.path("sha256").asText(),
                                jar, closure, false,
                                meta.path("deployed").asBoolean() && meta.path("deployed_by_host").asBoolean());
                        bundles.put(key(stored.symbolicName(), stored.version()), stored);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundle store " + storeDir, e);
        }
    }

    /**
     * The compatibility a stored version declares. A store written before hosts read the header
     * has no such field: the stored jar's manifest still says it.
     */
    private static BundleCompatibility storedCompatibility(JsonNode meta, String symbolicName, String version,
                                                           Path jar) {
        if (meta.hasNonNull("compatibility")) {
            return BundleCompatibility.fromWire(meta.get("compatibility").asText());
        }
        try {
            return AgentDeclarations.read(symbolicName, version, readManifest(jar).getMainAttributes()::getValue)
                    .compatibility();
        } catch (JagletException e) {
            LOG.warn("stored agent bundle {} {}: {}; its agents need their exact version", symbolicName, version,
                    e.getMessage());
            return BundleCompatibility.EXACT;
        }
    }

    /**
     * Bundles deployed through the host stay deployed across restarts: install them again from
     * the store (a deploy folder does the same for its own bundles).
     */
    private void reinstallHostDeployed() {
        for (StoredBundle stored : bundles.values()) {
            if (!stored.deployedByHost() || findInstalled(stored.symbolicName(), stored.version()) != null) {
                continue;
            }
            try (InputStream in = Files.newInputStream(stored.jar())) {
                context.installBundle(LOCATION_PREFIX + stored.symbolicName() + "/" + stored.version(), in);
            } catch (IOException | BundleException e) {
                LOG.warn("could not reinstall agent bundle {} {}: {}", stored.symbolicName(), stored.version(),
                        e.getMessage());
            }
        }
    }

    private static Manifest readManifest(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                throw new JagletException(ErrorType.CODE, jar.getFileName() + " has no manifest; it is not a bundle");
            }
            return manifest;
        } catch (IOException e) {
            throw new JagletException(ErrorType.CODE, jar.getFileName() + " is not a readable jar: " + e.getMessage());
        }
    }

    private static String symbolicName(Manifest manifest) {
        String value = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        if (value == null || value.isBlank()) {
            throw new JagletException(ErrorType.CODE, "the jar has no Bundle-SymbolicName; it is not a bundle");
        }
        String name = value.split(";")[0].trim();
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new JagletException(ErrorType.CODE, "bundle symbolic name '" + name + "' is not allowed");
        }
        return name;
    }

    private static String normalizeVersion(String version) {
        try {
            return Version.parseVersion(version).toString();
        } catch (IllegalArgumentException e) {
            throw new JagletException(ErrorType.BAD_REQUEST, "'" + version + "' is not a bundle version");
        }
    }

    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            DigestInputStream digest = (DigestInputStream) in;
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(String symbolicName, String version) {
        return symbolicName + "@" + version;
    }

    /** Converts a stored bundle to the public view. */
    public static AgentBundle view(StoredBundle b, int agentCount) {
        return new AgentBundle(b.symbolicName(), b.version(), b.classes(), b.sha256(), b.compatibility(), b.deployed(),
                agentCount);
    }

    @Override
    public void close() {
        tracker.close();
    }
}
