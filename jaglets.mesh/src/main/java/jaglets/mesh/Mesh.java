package jaglets.mesh;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The hosts this host knows, kept current by gossip. Every host also knows itself.
 */
public interface Mesh {

    /** This host. */
    HostRef self();

    /** Every known host, this one included, online or not. */
    List<HostRef> hosts();

    /** A host by name or URL. */
    Optional<HostRef> lookup(String nameOrUrl);

    /** The URL of a host given by name or URL (a URL is returned normalised even if unknown). */
    String resolveUrl(String nameOrUrl);

    /**
     * Waits until the host is known and online.
     *
     * @throws jaglets.api.JagletException of type TIMEOUT when it is not within {@code timeout}
     */
    HostRef waitForHost(String nameOrUrl, Duration timeout);

    /**
     * Takes in a host that announces itself and answers with the hosts this one knows (the
     * {@code POST /hosts/join} exchange). A caller of another mesh version is not registered.
     */
    List<HostRef> join(HostRef caller, List<HostRef> known);

    /** Whether this host gossips at all ({@code --no-mesh} turns it off). */
    boolean enabled();
}
