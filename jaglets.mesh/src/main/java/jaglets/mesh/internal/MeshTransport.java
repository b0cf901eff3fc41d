package jaglets.mesh.internal;

import jaglets.mesh.HostRef;
import java.util.List;

/**
 * How one host reaches another for a gossip exchange: it sends itself and what it knows, and gets
 * back what the other host knows. HTTP between processes; in memory for large simulations.
 */
public interface MeshTransport {
    List<HostRef> exchange(String targetUrl, HostRef self, List<HostRef> known) throws Exception;
}
