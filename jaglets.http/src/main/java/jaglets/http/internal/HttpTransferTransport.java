package jaglets.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jaglets.api.ErrorType;
import jaglets.api.HostInfo;
import jaglets.api.JagletException;
import jaglets.api.JagletProxyRef;
import jaglets.http.HostClient;
import jaglets.mesh.HostRef;
import jaglets.mesh.Mesh;
import jaglets.protocol.Envelope;
import jaglets.runtime.HostDirectory;
import jaglets.runtime.RequiredCode;
import jaglets.runtime.TransferTransport;
import jaglets.runtime.Transfers;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Moves agents to other hosts over their HTTP API (the {@code /transfers} hand-over steps), with
 * this host's API key, which the hosts of one mesh share; and shows the mesh to agents. Host
 * names are resolved through the mesh when one runs.
 */
@Component(service = {TransferTransport.class, HostDirectory.class})
public final class HttpTransferTransport implements TransferTransport, HostDirectory {

    /**
     * The mesh is looked up when first needed rather than referenced: the mesh uses the host and
     * the host uses this transport, so a reference (or fetching it while it registers) would be a
     * cycle that Declarative Services breaks by leaving it out.
     */
    private ServiceTracker<Mesh, ServiceReference<Mesh>> meshTracker;
    private BundleContext context;
    private volatile Mesh mesh;
    private HostClient client;
    private boolean sharedKey;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        meshTracker = new ServiceTracker<>(context, Mesh.class, new ServiceTrackerCustomizer<>() {
            @Override
            public ServiceReference<Mesh> addingService(ServiceReference<Mesh> reference) {
                return reference;
            }

            @Override
            public void modifiedService(ServiceReference<Mesh> reference, ServiceReference<Mesh> service) {
            }

            @Override
            public void removedService(ServiceReference<Mesh> reference, ServiceReference<Mesh> service) {
                mesh = null;
                context.ungetService(reference);
            }
        });
        meshTracker.open();
        sharedKey = HostKey.value(context) != null;
        client = HostKey.client(context);
    }

    @Deactivate
    void deactivate() {
        meshTracker.close();
    }

    private Mesh mesh() {
        Mesh current = mesh;
        if (current == null) {
            ServiceReference<Mesh> reference = meshTracker.getService();
            current = reference == null ? null : context.getService(reference);
            mesh = current;
        }
        return current;
    }

    @Override
    public String resolve(String destination) {
        Mesh current = mesh();
        return current == null ? HostRef.normalizeUrl(destination) : current.resolveUrl(destination);
    }

    /** How long a target's health stays fresh for preflights: moves in a row ask once. */
    static final Duration DESCRIPTION_FRESH = Duration.ofSeconds(2);

    private record Described(TargetInfo info, long atNanos) {
    }

    private final java.util.Map<String, Described> described = new java.util.concurrent.ConcurrentHashMap<>();
    /** Targets whose last prepare failed: neither a kept description nor the mesh vouches for them until asked again. */
    private final java.util.Set<String> unreached = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public TargetInfo describe(String url, Duration timeout) {
        Described known = described.get(url);
        if (known != null && System.nanoTime() - known.atNanos() < DESCRIPTION_FRESH.toNanos()) {
            return known.info();
        }
        TargetInfo info = fetchDescription(url, timeout);
        if (described.size() > 1000) {
            described.clear();
        }
        described.put(url, new Described(info, System.nanoTime()));
        unreached.remove(url);
        return info;
    }

    /** Vouched for only if heard from (by this host or a peer) as recently as a description stays fresh. */
    @Override
    public Optional<String> onlineName(String url) {
        Mesh current = mesh();
        if (unreached.contains(url)) {
            return Optional.empty();
        }
        java.time.Instant heardSince = java.time.Instant.now().minus(DESCRIPTION_FRESH);
        return current == null ? Optional.empty() : current.lookup(url)
                .filter(h -> h.online() && h.url().equals(url) && h.lastSeen() != null && h.lastSeen().isAfter(heardSince))
                .map(HostRef::name);
    }

    private TargetInfo fetchDescription(String url, Duration timeout) {
        JsonNode health = client.healthJson(url, timeout);
        List<String> capabilities = new ArrayList<>();
        health.path("capabilities").forEach(c -> capabilities.add(c.asText()));
        return new TargetInfo(health.path("name").asText(), url, capabilities,
                health.path("code_version").asText(null));
    }

    /** The target's listing, judged by the rule the target itself applies when the agent arrives. */
    @Override
    public boolean hasBundle(String url, RequiredCode code, Duration timeout) {
        return code.chooseFrom(client.bundles(url)).isPresent();
    }

    @Override
    public void prepare(String url, Envelope envelope, Duration timeout) {
        try {
            client.prepareTransfer(url, envelope, timeout);
        } catch (RuntimeException e) {
            // the next move to it asks again, and fails in its preflight if the target is gone (a
            // refusal costs that move one health call)
            if (unreached.size() > 1000) {
                unreached.clear();
            }
            unreached.add(url);
            described.remove(url);
            throw e;
        }
    }

    @Override
    public JagletProxyRef commit(String url, String transferId, Duration settle, Duration timeout) {
        return client.commitTransfer(url, transferId, settle, timeout);
    }

    @Override
    public void abort(String url, String transferId, Duration timeout) {
        client.abortTransfer(url, transferId, timeout);
    }

    @Override
    public Transfers.Phase phase(String url, String transferId, Duration timeout) {
        return client.transferPhase(url, transferId, timeout);
    }

    @Override
    public Path fetchBundle(String url, String symbolicName, String version, Duration timeout) {
        return client.fetchBundle(url, symbolicName, version, timeout);
    }

    /** Code is taken only from hosts that share this host's API key, or from this machine. */
    @Override
    public boolean mayFetchCodeFrom(String url) {
        return sharedKey || isLoopback(url);
    }

    static boolean isLoopback(String url) {
        try {
            String host = URI.create(url).getHost();
            return host != null && InetAddress.getByName(host).isLoopbackAddress();
        } catch (IllegalArgumentException | UnknownHostException e) {
            return false;
        }
    }

    @Override
    public JagletProxyRef requestRetract(String url, String agentId, String targetUrl, Duration timeout) {
        return client.retract(url, agentId, targetUrl).ref();
    }

    @Override
    public List<HostInfo> hosts() {
        Mesh current = mesh();
        return current == null ? List.of() : current.hosts().stream().map(HttpTransferTransport::info).toList();
    }

    @Override
    public HostInfo waitForHost(String nameOrUrl, Duration timeout) {
        Mesh current = mesh();
        if (current == null) {
            throw new JagletException(ErrorType.HOST, "this host runs without a mesh");
        }
        return info(current.waitForHost(nameOrUrl, timeout));
    }

    private static HostInfo info(HostRef ref) {
        return new HostInfo(ref.name(), ref.url(), ref.online(), ref.lastSeen(), ref.tags(), ref.properties());
    }
}
