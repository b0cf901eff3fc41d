package jaglets.mesh.internal;

import jaglets.mesh.HostRef;
import jaglets.mesh.Mesh;
import jaglets.runtime.Host;
import jaglets.runtime.HostHealth;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * The {@link Mesh} service of this host: gossip over HTTP every interval, and multicast beacons
 * beside it. Settings are framework properties ({@code jaglets.mesh.*}, {@code jaglets.tags},
 * {@code jaglets.properties}), listed in {@code docs/configuration.md}.
 */
@Component(service = Mesh.class, immediate = true)
public final class MeshComponent implements Mesh {
    private static final Logger LOG = LoggerFactory.getLogger(MeshComponent.class);

    @Reference
    private Host host;
    private GossipMesh mesh;
    private ScheduledExecutorService gossip;
    private MulticastBeacons beacons;

    @Activate
    void activate(BundleContext context) {
        MeshSettings settings = MeshSettings.read(context::getProperty,
                Optional.ofNullable(System.getenv("JAGLETS_MESH_VERSION")).filter(v -> !v.isBlank())
                        .orElse("jaglets-" + context.getBundle().getVersion()));
        String apiKey = System.getenv(settings.apiKeyVariable());
        MeshTransport transport = new HttpMeshTransport(apiKey, settings.exchangeTimeout());
        mesh = new GossipMesh(() -> {
            HostHealth health = host.health();
            return new HostRef(health.name(), HostRef.normalizeUrl(health.address()), settings.version(), true,
                    Instant.now(), health.activeCount(), health.inactiveCount(), settings.tags(),
                    settings.properties(), null);
        }, settings.seeds(), transport, settings.offlineAfter(), settings.fanout(), settings.enabled(),
                Clock.systemUTC(), new SecureRandom());
        if (settings.enabled()) {
            beacons = openBeacons(settings, apiKey);
            gossip = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jaglets-mesh-gossip");
                t.setDaemon(true);
                return t;
            });
            gossip.scheduleWithFixedDelay(this::gossipQuietly, 0, settings.gossipInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        LOG.info("mesh {} (version {}, {} seed(s), fan-out {}, offline after {}, multicast {})",
                settings.enabled() ? "on" : "off", settings.version(), settings.seeds().size(), settings.fanout(),
                settings.offlineAfter(), beacons != null && beacons.active() ? "on" : "off");
    }

    /** Beacons on the interface of this host's address, or {@code null} when they are off. */
    private MulticastBeacons openBeacons(MeshSettings settings, String apiKey) {
        if (!settings.multicast()) {
            return null;
        }
        if (apiKey != null && !apiKey.isEmpty()) {
            // anyone on the network can send a beacon, and gossip sends this host's key to every
            // host it takes in: a forged beacon would collect the key
            LOG.info("multicast beacons off: this host has an API key; name its peers with jaglets.mesh.peers");
            return null;
        }
        try {
            return MulticastBeacons.open(settings.multicastGroup(), MulticastBeacons.interfaceFor(mesh.self().url()),
                    settings.version(), mesh::discovered);
        } catch (SocketException | RuntimeException e) {
            LOG.warn("multicast beacons off: no interface for them ({}); hosts are found through seeds only",
                    e.toString());
            return null;
        }
    }

    private void gossipQuietly() {
        try {
            if (beacons != null) {
                beacons.announce(mesh.self());
            }
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
        if (beacons != null) {
            beacons.close();
        }
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
