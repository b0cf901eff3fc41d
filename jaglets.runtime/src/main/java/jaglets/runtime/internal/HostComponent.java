package jaglets.runtime.internal;

import jaglets.api.AgentStatus;
import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.JagletProxy;
import jaglets.api.JagletProxyRef;
import jaglets.api.TransferTicket;
import jaglets.protocol.Envelope;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.runtime.AgentBundle;
import jaglets.runtime.AgentListing;
import jaglets.runtime.AgentState;
import jaglets.runtime.CreateRequest;
import jaglets.runtime.Host;
import jaglets.runtime.HostEvent;
import jaglets.runtime.HostEventListener;
import jaglets.runtime.HostDirectory;
import jaglets.runtime.HostHealth;
import jaglets.runtime.RemoteAgents;
import jaglets.runtime.TransferTransport;
import jaglets.runtime.Transfers;
import jaglets.runtime.internal.child.ChildLauncher;
import jaglets.runtime.internal.child.ChildPool;
import jaglets.runtime.internal.child.ChildServer;
import jaglets.runtime.internal.code.BundleRegistry;
import jaglets.runtime.internal.lifecycle.HostRuntime;
import jaglets.runtime.internal.lifecycle.HostSettings;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@link Host} service of this framework. Settings are framework properties (set by the
 * {@code jaglets host} launcher from its flags, or as {@code -D} system properties); every
 * setting and its default is listed in {@code docs/configuration.md}.
 */
@Component(service = {Host.class, Transfers.class}, immediate = true)
public final class HostComponent implements Host, Transfers {

    private ChildServer server;
    private ChildPool pool;
    private BundleRegistry registry;
    private volatile HostRuntime runtime;
    private volatile RemoteAgents remoteAgents;
    private volatile TransferTransport transport;
    private volatile HostDirectory directory;
    private Thread stopOnSignal;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindTransport(TransferTransport bound) {
        transport = bound;
        HostRuntime current = runtime;
        if (current != null) {
            current.useTransport(bound);
        }
    }

    void unbindTransport(TransferTransport bound) {
        if (transport == bound) {
            transport = null;
            HostRuntime current = runtime;
            if (current != null) {
                current.useTransport(null);
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindDirectory(HostDirectory bound) {
        directory = bound;
        HostRuntime current = runtime;
        if (current != null) {
            current.useDirectory(bound);
        }
    }

    void unbindDirectory(HostDirectory bound) {
        if (directory == bound) {
            directory = null;
            HostRuntime current = runtime;
            if (current != null) {
                current.useDirectory(null);
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindRemoteAgents(RemoteAgents remote) {
        remoteAgents = remote;
        HostRuntime current = runtime;
        if (current != null) {
            current.useRemoteAgents(remote);
        }
    }

    void unbindRemoteAgents(RemoteAgents remote) {
        if (remoteAgents == remote) {
            remoteAgents = null;
            HostRuntime current = runtime;
            if (current != null) {
                current.useRemoteAgents(null);
            }
        }
    }

    @Activate
    void activate(BundleContext context) {
        HostSettings settings = settings(context);
        server = new ChildServer();
        ChildLauncher launcher = new ChildLauncher(childJars(context), settings.cacheDir(),
                settings.dataDir().resolve("children"), server, settings.childHeap());
        pool = new ChildPool(launcher, settings.poolSize());
        registry = new BundleRegistry(context, settings.dataDir().resolve("bundles"));
        HostRuntime created = new HostRuntime(settings, pool, registry);
        created.useRemoteAgents(remoteAgents);
        created.useTransport(transport);
        created.useDirectory(directory);
        runtime = created;
        created.start();
        stopOnSignal = new Thread(() -> stopFramework(context), "jaglets-stop-on-signal");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
    }

    /**
     * SIGTERM and SIGINT end the JVM without stopping the framework; stop it here so every active
     * agent is stored before the process goes.
     */
    private static void stopFramework(BundleContext context) {
        try {
            org.osgi.framework.launch.Framework framework = (org.osgi.framework.launch.Framework) context.getBundle(0);
            framework.stop();
            framework.waitForStop(120_000);
        } catch (Exception e) {
            // the framework is already stopping or gone
        }
    }

    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnSignal);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this hook is what stops us
        }
        runtime.close();
        pool.close();
        registry.close();
        server.close();
    }

    static HostSettings settings(BundleContext context) {
        String name = property(context, "jaglets.name", "jaglets");
        String bind = property(context, "org.apache.felix.http.host", "127.0.0.1");
        String port = property(context, "org.osgi.service.http.port", "8765");
        Path home = Path.of(property(context, "jaglets.home", Path.of(System.getProperty("user.home"), ".jaglets")
                .toString()));
        Path dataDir = Path.of(property(context, "jaglets.data.dir",
                home.resolve("hosts").resolve(name.replaceAll("[^A-Za-z0-9._-]", "_")).toString()));
        return new HostSettings(name,
                property(context, "jaglets.address", "http://" + bind + ":" + port),
                dataDir.toAbsolutePath(),
                home.resolve("cache").toAbsolutePath(),
                Integer.parseInt(property(context, "jaglets.pool.size", "2")),
                property(context, "jaglets.child.heap", "256m"),
                Duration.ofMillis(Long.parseLong(property(context, "jaglets.shutdown.grace.ms", "5000"))),
                Duration.ofMillis(Long.parseLong(property(context, "jaglets.operation.timeout.ms", "30000"))),
                Long.parseLong(property(context, "jaglets.storage.quota", String.valueOf(10L * 1024 * 1024))),
                Integer.parseInt(property(context, "jaglets.events.capacity", "1000")),
                Duration.ofMillis(Long.parseLong(property(context, "jaglets.transfer.settle.ms", "30000"))));
    }

    private static String property(BundleContext context, String key, String fallback) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** The child's class path, embedded in this bundle under {@code child/}. */
    private static Map<String, ChildLauncher.InputStreamSupplier> childJars(BundleContext context) {
        Map<String, ChildLauncher.InputStreamSupplier> jars = new TreeMap<>();
        Enumeration<URL> entries = context.getBundle().findEntries("child", "*.jar", false);
        while (entries != null && entries.hasMoreElements()) {
            URL url = entries.nextElement();
            String path = url.getPath();
            jars.put(path.substring(path.lastIndexOf('/') + 1), url::openStream);
        }
        if (jars.isEmpty()) {
            throw new IllegalStateException("jaglets.runtime carries no child class path (child/*.jar)");
        }
        return jars;
    }

    // ---- Host, delegated ----------------------------------------------------------------------

    @Override
    public String name() {
        return runtime.name();
    }

    @Override
    public String address() {
        return runtime.address();
    }

    @Override
    public AgentSummary create(CreateRequest request) {
        return runtime.create(request);
    }

    @Override
    public CompletableFuture<Object> send(String agentId, Message message, SendOptions options) {
        return runtime.send(agentId, message, options);
    }

    @Override
    public Object call(String agentId, Message message, SendOptions options) {
        return runtime.call(agentId, message, options);
    }

    @Override
    public void sendOneway(String agentId, Message message, SendOptions options) {
        runtime.sendOneway(agentId, message, options);
    }

    @Override
    public AgentSummary deactivate(String agentId, DeactivationRequest request) {
        return runtime.deactivate(agentId, request);
    }

    @Override
    public AgentSummary activate(String agentId) {
        return runtime.activate(agentId);
    }

    @Override
    public void dispose(String agentId) {
        runtime.dispose(agentId);
    }

    @Override
    public AgentSummary agent(String agentId) {
        return runtime.agent(agentId);
    }

    @Override
    public List<AgentSummary> agents(AgentStatus which) {
        return runtime.agents(which);
    }

    @Override
    public AgentListing agents(AgentStatus which, int offset, int limit) {
        return runtime.agents(which, offset, limit);
    }

    @Override
    public AgentState state(String agentId) {
        return runtime.state(agentId);
    }

    @Override
    public JagletProxy proxy(String agentId) {
        return runtime.proxy(agentId);
    }

    @Override
    public List<HostEvent> events(long sinceEventId, int limit) {
        return runtime.events(sinceEventId, limit);
    }

    @Override
    public void addListener(HostEventListener listener) {
        runtime.addListener(listener);
    }

    @Override
    public void removeListener(HostEventListener listener) {
        runtime.removeListener(listener);
    }

    @Override
    public List<AgentBundle> bundles() {
        return runtime.bundles();
    }

    @Override
    public AgentBundle deploy(Path bundleJar) {
        return runtime.deploy(bundleJar);
    }

    @Override
    public void uninstall(String symbolicName, String version) {
        runtime.uninstall(symbolicName, version);
    }

    @Override
    public HostHealth health() {
        return runtime.health();
    }

    @Override
    public JagletProxyRef dispatch(String agentId, TransferTicket ticket) {
        return runtime.dispatch(agentId, ticket);
    }

    @Override
    public JagletProxyRef cloneAgent(String agentId, TransferTicket ticket) {
        return runtime.cloneAgent(agentId, ticket);
    }

    @Override
    public JagletProxyRef retract(String hostUrl, String agentId) {
        return runtime.retract(hostUrl, agentId);
    }

    @Override
    public JagletProxyRef retractTo(String agentId, String targetUrl) {
        return runtime.retractTo(agentId, targetUrl);
    }

    // ---- Transfers, delegated ---------------------------------------------------------------------

    @Override
    public void prepare(Envelope envelope, byte[] smile) {
        runtime.prepare(envelope, smile);
    }

    @Override
    public JagletProxyRef commit(String transferId, Duration settle) {
        return runtime.commit(transferId, settle);
    }

    @Override
    public void abort(String transferId) {
        runtime.abort(transferId);
    }

    @Override
    public Phase phase(String transferId) {
        return runtime.phase(transferId);
    }

    @Override
    public Path bundleJar(String symbolicName, String version) {
        return runtime.bundleJar(symbolicName, version);
    }
}
