package jaglets.relay.internal;

import jaglets.mesh.HostRef;
import jaglets.mesh.Mesh;
import jaglets.runtime.Host;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connect mode: when {@code jaglets.relay.connect} names a hub, this host keeps a {@link NodeLink}
 * to it and its mesh view is the hub's. A host in connect mode needs an API key and an address
 * under its hub ({@code <hub>/relay/hosts/<name>}); without them it refuses to run and stops,
 * saying which is missing. Without the property this component does nothing.
 */
@Component(immediate = true)
public final class RelayClient {
    private static final Logger LOG = LoggerFactory.getLogger(RelayClient.class);

    @Reference
    private Host host;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Mesh mesh;
    private NodeLink link;

    @Activate
    void activate(BundleContext context) {
        RelaySettings settings = RelaySettings.read(context::getProperty);
        if (!settings.connectMode()) {
            return;
        }
        String key = System.getenv(settings.apiKeyVariable());
        String problem = problem(settings, key, host.address());
        if (problem != null) {
            LOG.error("{}; the host stops", problem);
            stop(context);
            return;
        }
        if (settings.meshFanout() != 0) {
            LOG.warn("jaglets.mesh.fanout is {}: a host in connect mode should gossip with nobody (0); its view of the"
                    + " mesh comes from its hub", settings.meshFanout());
        }
        link = new NodeLink(settings, key, this::takeView);
        link.start();
        LOG.info("connect mode: node '{}' of hub {}, reached at {}; connecting every {} ms", settings.hostName(),
                settings.connectTo(), settings.relayAddress(), settings.heartbeat().toMillis());
    }

    @Deactivate
    void deactivate() {
        if (link != null) {
            link.stop();
        }
    }

    /** Why this host cannot run in connect mode as configured, or {@code null}. */
    static String problem(RelaySettings settings, String apiKey, String address) {
        if (apiKey == null || apiKey.isEmpty()) {
            return "jaglets.relay.connect names a hub, but the API key variable " + settings.apiKeyVariable()
                    + " is empty: a host in connect mode needs an API key (every request its hub relays carries it)";
        }
        String suffix = "/relay/hosts/" + RelaySettings.encode(settings.hostName());
        if (address == null || !RelaySettings.normalizeUrl(address).endsWith(suffix)) {
            return "a host in connect mode is reached through its hub, so its address (jaglets.address) must be "
                    + settings.relayAddress() + ", not " + address + " ('jaglets host --connect-to' sets it)";
        }
        return null;
    }

    /** The hub's view of the mesh becomes this host's: the hub is heard from now, the others as the hub heard them. */
    private void takeView(HostRef hub, List<HostRef> hosts) {
        Mesh current = mesh;
        if (current != null) {
            current.join(hub, hosts);
        }
    }

    private static void stop(BundleContext context) {
        Thread stopper = new Thread(() -> {
            try {
                context.getBundle(Constants.SYSTEM_BUNDLE_ID).stop();
            } catch (BundleException | IllegalStateException e) {
                LOG.error("could not stop the framework: {}", e.toString());
            }
        }, "jaglets-relay-refusal");
        stopper.setDaemon(true);
        stopper.start();
    }
}
