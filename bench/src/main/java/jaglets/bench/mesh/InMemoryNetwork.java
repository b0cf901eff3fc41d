package jaglets.bench.mesh;

import jaglets.mesh.HostRef;
import jaglets.mesh.internal.GossipMesh;
import jaglets.mesh.internal.MeshTransport;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gossip between meshes of one JVM: an exchange is the callee's {@code join}, called on the
 * caller's thread. It counts what every host sends and receives, independently of what the
 * meshes say about themselves.
 */
final class InMemoryNetwork implements MeshTransport {
    private final Map<String, GossipMesh> hosts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> received = new ConcurrentHashMap<>();

    void add(String url, GossipMesh mesh) {
        hosts.put(url, mesh);
        sent.put(url, new AtomicLong());
        received.put(url, new AtomicLong());
    }

    @Override
    public List<HostRef> exchange(String targetUrl, HostRef self, List<HostRef> known) throws IOException {
        sent.get(self.url()).incrementAndGet();
        GossipMesh target = hosts.get(targetUrl);
        if (target == null) {
            throw new IOException("no host at " + targetUrl);
        }
        received.get(targetUrl).incrementAndGet();
        return target.join(self, known);
    }

    /** Exchanges {@code url} has started so far. */
    long sent(String url) {
        return sent.get(url).get();
    }

    /** Exchanges other hosts have started with {@code url} so far. */
    long received(String url) {
        return received.get(url).get();
    }
}
