package jaglets.cli;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jaglets host}: starts the host jar as a child process on this terminal, with its settings
 * as {@code -D} framework properties, and waits for it. SIGTERM and SIGINT reach the host through
 * a shutdown hook, so the host stores its agents before this command ends with its exit status.
 */
@Command(name = "host", description = {"Starts a host on this terminal; Ctrl-C or SIGTERM stores every active agent.",
        "With a terminal it offers the Gogo shell (g! ), otherwise it runs until it is stopped."})
final class HostCommand implements Callable<Integer> {
    /** The system property through which the launcher names the host jar. */
    static final String HOST_JAR_PROPERTY = "jaglets.host.jar";
    /** How long the host may take to store its agents once told to stop (its own limit is 120 s). */
    private static final long STOP_WAIT_SECONDS = 150;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", defaultValue = "jaglets",
            description = "The host's name; also names its data folder <home>/hosts/<NAME> (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "8765",
            description = "The port of the host's HTTP API (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The interface the HTTP API listens on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--persistence-dir", paramLabel = "DIR",
            description = "Where the host keeps inactive agents, bundles and storage (default: <home>/hosts/<NAME>).")
    Path dataDir;

    @Option(names = "--deploy-dir", paramLabel = "DIR",
            description = "The folder watched for agent bundles; created if missing (default: <home>/deploy).")
    Path deployDir;

    @Option(names = "--pool-size", paramLabel = "N",
            description = "How many pre-booted child JVMs wait for the next create or activation (default: 2).")
    Integer poolSize;

    @Option(names = "--child-heap", paramLabel = "SIZE",
            description = "The maximum heap of every child JVM, in java syntax: 64m, 1g (default: 256m).")
    String childHeap;

    @Option(names = "--home", paramLabel = "DIR",
            description = "The root of everything the host writes (default: $JAGLETS_HOME, else ~/.jaglets).")
    Path home;

    @Option(names = "--api-key-env", paramLabel = "NAME",
            description = "The environment variable that holds the host's API key (default: JAGLETS_API_KEY).")
    String apiKeyVariable;

    @Option(names = "--persistent-storage-quota", paramLabel = "SIZE",
            description = "Each agent class's storage quota: 512K, 10M, 1G, or none (default: 10M).")
    String storageQuota;

    @Option(names = "--peer", paramLabel = "URL", description = "A seed host to join (repeatable).")
    java.util.List<String> peers = new java.util.ArrayList<>();

    @Option(names = "--no-mesh", description = "Run alone: no gossip, no other host is registered.")
    boolean noMesh;

    @Option(names = {"--no-multicast", "--no-mesh-multicast"},
            description = "Send and hear no multicast beacons; find hosts through --peer only.")
    boolean noMulticast;

    @Option(names = "--public-url", paramLabel = "URL",
            description = {"The address other hosts and clients reach this host at, when it is not http://<--host>:<--port>"
                    + " (behind a proxy or NAT, or listening on 0.0.0.0). Needs an API key."})
    String publicUrl;

    @Option(names = "--relay-offline-after", paramLabel = "SECONDS",
            description = "As a hub: a host behind it not heard from for this long is offline (default: 10).")
    Double relayOfflineAfter;

    @Option(names = "--relay-delivery-timeout", paramLabel = "SECONDS",
            description = "As a hub: how long a relayed request waits for the answer of the host behind it (default: 30).")
    Double relayDeliveryTimeout;

    @Option(names = "--relay-queue-limit", paramLabel = "N",
            description = "As a hub: how many relayed requests may wait for one host behind it (default: 1024).")
    Integer relayQueueLimit;

    @Option(names = "--mesh-version", paramLabel = "VERSION",
            description = "Only hosts of this mesh version are registered (default: $JAGLETS_MESH_VERSION, else the jaglets version).")
    String meshVersion;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag of this host, for placement (repeatable).")
    java.util.List<String> tags = new java.util.ArrayList<>();

    @Option(names = "--property", paramLabel = "KEY=VALUE", description = "A property of this host (repeatable).")
    java.util.List<String> properties = new java.util.ArrayList<>();

    @Option(names = "--connect-to", paramLabel = "URL",
            description = {"Run behind a hub, without an inbound port: the host listens on loopback only, other hosts"
                    + " reach it at <URL>/relay/hosts/<NAME>, and it learns the mesh from the hub. Needs an API key."})
    String connectTo;

    /** Reads environment variables; tests replace it. */
    UnaryOperator<String> environment = System::getenv;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path hostJar = hostJar();
        Path deploy = deployDir();
        List<String> command = javaCommand(hostJar, System.console() != null);
        Files.createDirectories(deploy);
        System.err.println("jaglets: host '" + name + "' (deploy folder " + deploy + ")"
                + (connectTo == null ? "" : ", connected via " + hubUrl()));
        // the hook is in place before the host starts, so no signal can leave it running alone
        AtomicReference<Process> started = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process running = started.get();
            if (running != null) {
                stop(running);
            }
        }, "jaglets-host-stop"));
        Process host = new ProcessBuilder(command).inheritIO().start();
        started.set(host);
        return host.waitFor();
    }

    /**
     * Runs when this JVM is told to end (SIGTERM, SIGINT): the host gets SIGTERM, stores its
     * agents and exits, and this process ends with the host's exit status.
     */
    private static void stop(Process host) {
        if (!host.isAlive()) {
            return; // the host ended first; its status is already on its way out
        }
        host.destroy();
        try {
            if (!host.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                System.err.println("jaglets: the host did not stop within " + STOP_WAIT_SECONDS + " s; killing it");
                host.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(host.isAlive() ? 1 : host.exitValue());
    }

    /** The host's command line: the same {@code java}, the settings as framework properties, the host jar. */
    List<String> javaCommand(Path hostJar, boolean interactive) {
        if (name.isBlank()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "--name must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new JagletException(ErrorType.BAD_REQUEST, "--port must be 0 to 65535, not " + port);
        }
        if (poolSize != null && poolSize < 0) {
            throw new JagletException(ErrorType.BAD_REQUEST, "--pool-size must be 0 or more, not " + poolSize);
        }
        if (connectTo != null) {
            checkConnectMode();
        }
        if (publicUrl != null) {
            checkPublicUrl();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djaglets.name=" + name);
        command.add("-Dorg.osgi.service.http.port=" + port);
        command.add("-Dorg.apache.felix.http.host=" + bind);
        command.add("-Djaglets.home=" + home());
        command.add("-Dfelix.fileinstall.dir=" + deployDir());
        if (dataDir != null) {
            command.add("-Djaglets.data.dir=" + dataDir.toAbsolutePath());
        }
        if (poolSize != null) {
            command.add("-Djaglets.pool.size=" + poolSize);
        }
        if (childHeap != null) {
            command.add("-Djaglets.child.heap=" + childHeap);
        }
        if (apiKeyVariable != null) {
            command.add("-Djaglets.api.key.env=" + apiKeyVariable);
        }
        if (storageQuota != null) {
            command.add("-Djaglets.storage.quota=" + Sizes.parse(storageQuota));
        }
        if (!peers.isEmpty()) {
            command.add("-Djaglets.mesh.peers=" + String.join(",", peers));
        }
        if (noMesh) {
            command.add("-Djaglets.mesh.enabled=false");
        }
        if (noMulticast) {
            command.add("-Djaglets.mesh.multicast=false");
        }
        if (meshVersion != null) {
            command.add("-Djaglets.mesh.version=" + meshVersion);
        }
        if (!tags.isEmpty()) {
            command.add("-Djaglets.tags=" + String.join(",", tags));
        }
        for (String property : properties) {
            if (!property.contains("=") || property.startsWith("=")) {
                throw new JagletException(ErrorType.BAD_REQUEST, "--property takes KEY=VALUE, not '" + property + "'");
            }
        }
        if (!properties.isEmpty()) {
            command.add("-Djaglets.properties=" + String.join(",", properties));
        }
        if (publicUrl != null) {
            command.add("-Djaglets.address=" + withoutTrailingSlashes(publicUrl.strip()));
        }
        if (relayOfflineAfter != null) {
            command.add("-Djaglets.relay.offline.ms=" + millis("--relay-offline-after", relayOfflineAfter));
        }
        if (relayDeliveryTimeout != null) {
            command.add("-Djaglets.relay.delivery.timeout.ms=" + millis("--relay-delivery-timeout", relayDeliveryTimeout));
        }
        if (relayQueueLimit != null) {
            if (relayQueueLimit < 1) {
                throw new JagletException(ErrorType.BAD_REQUEST, "--relay-queue-limit must be 1 or more, not "
                        + relayQueueLimit);
            }
            command.add("-Djaglets.relay.queue.limit=" + relayQueueLimit);
        }
        if (connectTo != null) {
            // reached through the hub; gossips with nobody: its view of the mesh comes from the hub
            command.add("-Djaglets.relay.connect=" + hubUrl());
            command.add("-Djaglets.address=" + hubUrl() + "/relay/hosts/"
                    + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
            command.add("-Djaglets.mesh.fanout=0");
        }
        // A terminal gets the Gogo shell; otherwise the host runs until it is stopped.
        command.add("-Dgosh.args=" + (interactive ? "--quiet" : "--nointeractive"));
        command.add("-jar");
        command.add(hostJar.toString());
        return command;
    }

    /** A connect-mode host needs a key, listens on loopback only and takes its mesh from the hub. */
    private void checkConnectMode() {
        requireKey("--connect-to", "every request the hub relays to this host carries it");
        if (!List.of("127.0.0.1", "localhost", "::1").contains(bind)) {
            throw new JagletException(ErrorType.BAD_REQUEST, "--connect-to listens on loopback only; drop --host "
                    + bind);
        }
        if (!peers.isEmpty() || noMesh) {
            throw new JagletException(ErrorType.BAD_REQUEST,
                    "--connect-to takes the mesh from the hub; --peer and --no-mesh do not apply");
        }
        String hub = hubUrl();
        if (!hub.startsWith("http://") && !hub.startsWith("https://")) {
            throw new JagletException(ErrorType.BAD_REQUEST, "--connect-to takes an http(s) URL, not '" + connectTo + "'");
        }
    }

    /** A host announced at a public address is reachable by others than its own machine: it needs a key. */
    private void checkPublicUrl() {
        if (connectTo != null) {
            throw new JagletException(ErrorType.BAD_REQUEST,
                    "--connect-to gives the host its address under the hub; --public-url does not apply");
        }
        if (!isHttpUrl(publicUrl.strip())) {
            throw new JagletException(ErrorType.BAD_REQUEST, "--public-url takes an http(s) URL, not '" + publicUrl + "'");
        }
        requireKey("--public-url", "a host others reach must not take requests from anyone");
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private void requireKey(String option, String why) {
        String variable = apiKeyVariable != null ? apiKeyVariable : "JAGLETS_API_KEY";
        String key = environment.apply(variable);
        if (key == null || key.isEmpty()) {
            throw new JagletException(ErrorType.BAD_REQUEST, option + " needs an API key in $" + variable + ": " + why);
        }
    }

    private static long millis(String option, double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new JagletException(ErrorType.BAD_REQUEST, option + " takes a number of seconds above 0, not " + seconds);
        }
        return Math.max(1, Math.round(seconds * 1000));
    }

    /** The hub's URL: {@code http://} added when missing, no trailing slash. */
    private String hubUrl() {
        String url = connectTo.strip();
        return withoutTrailingSlashes(url.contains("://") ? url : "http://" + url);
    }

    private static String withoutTrailingSlashes(String url) {
        String trimmed = url;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    Path home() {
        if (home != null) {
            return home.toAbsolutePath();
        }
        String fromEnvironment = environment.apply("JAGLETS_HOME");
        return fromEnvironment == null || fromEnvironment.isEmpty()
                ? Path.of(System.getProperty("user.home"), ".jaglets") : Path.of(fromEnvironment).toAbsolutePath();
    }

    Path deployDir() {
        return deployDir != null ? deployDir.toAbsolutePath() : home().resolve("deploy");
    }

    /** The host jar the launcher names, else {@code target/run.jar} of the checkout this jar was built in. */
    private static Path hostJar() {
        String named = System.getProperty(HOST_JAR_PROPERTY);
        Path jar = named != null && !named.isBlank() ? Path.of(named) : besideCheckout();
        if (jar == null) {
            throw new JagletException(ErrorType.HOST, "cannot tell where the host jar is; name it with -D"
                    + HOST_JAR_PROPERTY + "=PATH");
        }
        if (!Files.isRegularFile(jar)) {
            throw new JagletException(ErrorType.HOST, "no host jar at " + jar
                    + "; build it with 'mvn -DskipTests install' in the checkout (./jaglets host does so when needed)");
        }
        return jar;
    }

    /** {@code <checkout>/target/run.jar} when this class runs from {@code <checkout>/jaglets.cli/target/jaglets-cli.jar}. */
    private static Path besideCheckout() {
        try {
            Path cliJar = Path.of(HostCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path checkout = cliJar.getParent() == null || cliJar.getParent().getParent() == null ? null
                    : cliJar.getParent().getParent().getParent();
            return checkout == null ? null : checkout.resolve("target").resolve("run.jar");
        } catch (URISyntaxException e) {
            return null; // not a file location: the launcher must name the jar
        }
    }
}
