package jaglets.bench.mesh;

import jaglets.bench.report.Json;
import jaglets.mesh.HostRef;
import jaglets.mesh.internal.GossipMesh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Many {@link GossipMesh} hosts in one JVM over an {@link InMemoryNetwork}, each gossiping on its
 * own schedule in real time (first round at a random point of the first interval), every one
 * seeded with the first host only. Measures the time and the rounds until every host sees every
 * other online, and the most exchanges any host started in one round.
 *
 * <p>Runs outside any framework, with the mesh bundle's jar on the class path: {@code java -cp
 * jaglets-bench.jar:jaglets.mesh.jar:jaglets.api.jar jaglets.bench.mesh.MeshSimulation HOSTS FANOUT
 * GOSSIP_MS OFFLINE_MS TIMEOUT_S OUT}.
 */
public final class MeshSimulation {
    private static final String VERSION = "simulated";
    /** How often convergence is checked. */
    private static final Duration POLL = Duration.ofMillis(20);

    private final int size;
    private final int fanout;
    private final Duration interval;
    private final Duration offlineAfter;
    private final Duration timeout;
    private final InMemoryNetwork network = new InMemoryNetwork();
    private final List<GossipMesh> hosts = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();
    private final AtomicIntegerArray rounds;
    private final AtomicInteger mostSentInARound = new AtomicInteger();

    MeshSimulation(int size, int fanout, Duration interval, Duration offlineAfter, Duration timeout) {
        this.size = size;
        this.fanout = fanout;
        this.interval = interval;
        this.offlineAfter = offlineAfter;
        this.timeout = timeout;
        this.rounds = new AtomicIntegerArray(size);
    }

    public static void main(String[] args) throws Exception {
        MeshSimulation simulation = new MeshSimulation(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Duration.ofMillis(Long.parseLong(args[2])), Duration.ofMillis(Long.parseLong(args[3])),
                Duration.ofSeconds(Long.parseLong(args[4])));
        Map<String, Object> figures = simulation.run();
        Files.writeString(Path.of(args[5]), Json.write(figures));
    }

    Map<String, Object> run() throws InterruptedException {
        for (int i = 0; i < size; i++) {
            String url = "http://sim-" + i + ":8765";
            HostRef self = new HostRef("sim-" + i, url, VERSION, true, Instant.EPOCH, 0, 0, List.of(), Map.of(), null);
            GossipMesh mesh = new GossipMesh(() -> self, i == 0 ? List.of() : List.of(urls.get(0)), network,
                    offlineAfter, fanout, true, Clock.systemUTC(), new Random(i));
            urls.add(url);
            hosts.add(mesh);
            network.add(url, mesh);
        }
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ScheduledExecutorService gossip = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, "mesh-simulation");
            t.setDaemon(true);
            return t;
        });
        Random phases = new Random(42);
        long start = System.nanoTime();
        for (int i = 0; i < size; i++) {
            int host = i;
            gossip.scheduleWithFixedDelay(() -> round(host), phases.nextInt((int) interval.toMillis()),
                    interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        long[] convergedAt = awaitConvergence(start);
        int roundsAtConvergence = maxRounds();
        // a few rounds more: the bound must hold once everyone knows everyone, not only on the way
        Thread.sleep(interval.multipliedBy(3).toMillis());
        gossip.shutdownNow();
        gossip.awaitTermination(10, TimeUnit.SECONDS);
        return figures(start, convergedAt, roundsAtConvergence);
    }

    /** One gossip round of one host, and how many exchanges it started in it. */
    private void round(int host) {
        String url = urls.get(host);
        long before = network.sent(url);
        hosts.get(host).gossipOnce();
        int sent = (int) (network.sent(url) - before);
        mostSentInARound.accumulateAndGet(sent, Math::max);
        rounds.incrementAndGet(host);
    }

    /** When each host first saw every host online (nanoTime), or -1 for those that had not by the timeout. */
    private long[] awaitConvergence(long start) throws InterruptedException {
        long[] convergedAt = new long[size];
        Arrays.fill(convergedAt, -1);
        int pending = size;
        long deadline = start + timeout.toNanos();
        while (pending > 0 && System.nanoTime() < deadline) {
            for (int i = 0; i < size; i++) {
                if (convergedAt[i] < 0 && hosts.get(i).hosts().stream().filter(HostRef::online).count() == size) {
                    convergedAt[i] = System.nanoTime();
                    pending--;
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        return convergedAt;
    }

    private int maxRounds() {
        int most = 0;
        for (int i = 0; i < size; i++) {
            most = Math.max(most, rounds.get(i));
        }
        return most;
    }

    private Map<String, Object> figures(long start, long[] convergedAt, int roundsAtConvergence) {
        long[] millis = Arrays.stream(convergedAt).filter(t -> t >= 0).map(t -> (t - start) / 1_000_000).sorted()
                .toArray();
        boolean converged = millis.length == size;
        long totalRounds = 0;
        long totalSent = 0;
        double mostReceived = 0;
        for (int i = 0; i < size; i++) {
            int hostRounds = rounds.get(i);
            totalRounds += hostRounds;
            totalSent += network.sent(urls.get(i));
            if (hostRounds > 0) {
                mostReceived = Math.max(mostReceived, network.received(urls.get(i)) / (double) hostRounds);
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("hosts", size);
        figures.put("seeds", "every host seeded with the first one only");
        figures.put("fanout", fanout);
        figures.put("gossip_ms", interval.toMillis());
        figures.put("offline_ms", offlineAfter.toMillis());
        figures.put("transport", "in memory (join called on the caller's thread)");
        figures.put("converged", converged);
        figures.put("hosts_converged", millis.length);
        figures.put("converged_s", converged ? millis[size - 1] / 1000.0 : null);
        figures.put("host_converged_median_s", millis.length == 0 ? null : millis[millis.length / 2] / 1000.0);
        figures.put("rounds_to_converge", converged ? roundsAtConvergence : null);
        figures.put("max_sent_per_round", mostSentInARound.get());
        figures.put("mean_sent_per_round", totalRounds == 0 ? null : round2(totalSent / (double) totalRounds));
        // exchanges others started with a host, per round of that host: the busiest host's average
        figures.put("busiest_host_received_per_round", round2(mostReceived));
        figures.put("rounds_run", totalRounds);
        return figures;
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
