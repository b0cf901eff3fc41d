package jaglets.itest;

import jaglets.http.HostClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Two host processes, alpha and beta, gossiping every 300 ms, started once alpha knows beta. */
record MeshPair(HostProcess alpha, HostProcess beta, HostClient client) implements AutoCloseable {

    static MeshPair start(Path home) {
        HostProcess alpha = HostProcess.start(home.resolve("alpha"), "alpha", Map.of("jaglets.mesh.gossip.ms", "300"));
        HostProcess beta = null;
        try {
            beta = HostProcess.start(home.resolve("beta"), "beta", Map.of("jaglets.mesh.gossip.ms", "300",
                    "jaglets.mesh.peers", alpha.url()));
            HostClient client = HostClient.create(null, Duration.ofSeconds(60));
            HostProcess.awaitCondition(() -> client.hosts(alpha.url()).stream().anyMatch(h -> h.name().equals("beta")
                    && h.online()), Duration.ofSeconds(30), "alpha to know beta");
            return new MeshPair(alpha, beta, client);
        } catch (RuntimeException | Error e) {
            if (beta != null) {
                beta.close();
            }
            alpha.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            beta.close();
        } finally {
            alpha.close();
        }
    }
}
