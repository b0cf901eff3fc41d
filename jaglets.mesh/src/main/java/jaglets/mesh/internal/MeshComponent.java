package jaglets.mesh.internal;

import jaglets.mesh.HostRef;
import jaglets.mesh.Mesh;
import jaglets.runtime.Host;
import jaglets.runtime.HostHealth;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Mesh} service of this host: gossip over HTTP every interval. Settings are framework
 * properties ({@code jaglets.mesh.*}, {@code jaglets.tags}, {@code jaglets.properties}), listed in
 * {@code docs/configuration.md}.
 */
@Component(service = Mesh.class, immediate = true)
public final class MeshComponent implements Mesh {
    private static final Logger LOG = LoggerFactory.getLogger(MeshComponent.class);

    @Reference
    private Host host;
    private GossipMesh mesh;
    private ScheduledExecutorService gossip;

    @Activate
    void activate(BundleContext context) {
        boolean enabled = Boolean.parseBoolean(property(context, "jaglets.mesh.enabled", "true"));
        String version = property(context, "jaglets.mesh.version",
                Optional.ofNullable(System.getenv("JAGLETS_MESH_VERSION")).filter(v -> !v.isBlank())
                        .orElse("jaglets-" + context.getBundle().getVersion()));
        List<String> tags = Arrays.stream(property(context, "jaglets.tags", "").split(","))
                .map(t -> t.strip().toLowerCase()).filter(t -> !t.isEmpty()).distinct().sorted().toList();
        Map<String, String> properties = new LinkedHashMap<>();
        for (String pair : property(context, "jaglets.properties", "").split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                properties.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        List<String> seeds = Arrays.stream(property(context, "jaglets.mesh.peers", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        Duration interval = Duration.ofMillis(Long.parseLong(property(context, "jaglets.mesh.gossip.ms", "1000")));
        Duration offlineAfter = Duration.ofMillis(Long.parseLong(property(context, "jaglets.mesh.offline.ms", "10000")));
        int fanout = Integer.parseInt(property(context, "jaglets.mesh.fanout", "3"));
        String keyVariable = property(context, "jaglets.api.key.env", "JAGLETS_API_KEY");
        MeshTransport transport = new HttpMeshTransport(System.getenv(keyVariable),
                interval.multipliedBy(2).plusSeconds(1));
        mesh = new GossipMesh(() -> {
            HostHealth health = host.health();
            return new HostRef(health.name(), HostRef.normalizeUrl(health.address()), version, true, Instant.now(),
                    health.activeCount(), health.inactiveCount(), tags, properties, null);
        }, seeds, transport, offlineAfter, fanout, enabled, Clock.systemUTC(), new SecureRandom());
        if (enabled) {
            gossip = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jaglets-mesh-gossip");
                t.setDaemon(true);
                return t;
            });
            gossip.scheduleWithFixedDelay(this::gossipQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info("mesh {} (version {}, {} seed(s), fan-out {}, offline after {})", enabled ? "on" : "off", version,
                seeds.size(), fanout, offlineAfter);
    }

    private void gossipQuietly() {
        try {
            mesh.gossipOnce();
        } catch (RuntimeException e) {
            LOG.warn("gossip round failed: {}", e.toString());
        }
    }

    @Deactivate
    void deactivate() {
        if (gossip != null) {
            gossip.shutdownNow();
        }
    }

    private static String property(BundleContext context, String key, String fallback) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    @Override
    public HostRef self() {
        return mesh.self();
    }

    @Override
    public List<HostRef> hosts() {
        return mesh.hosts();
    }

    @Override
    public Optional<HostRef> lookup(String nameOrUrl) {
        return mesh.lookup(nameOrUrl);
    }

    @Override
    public String resolveUrl(String nameOrUrl) {
        return mesh.resolveUrl(nameOrUrl);
    }

    @Override
    public HostRef waitForHost(String nameOrUrl, Duration timeout) {
        return mesh.waitForHost(nameOrUrl, timeout);
    }

    @Override
    public List<HostRef> join(HostRef caller, List<HostRef> known) {
        return mesh.join(caller, known);
    }

    @Override
    public boolean enabled() {
        return mesh.enabled();
    }
}
