package jaglets.bench.runner;

import jaglets.bench.report.Samples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many agents active at once (figure {@code active_<n>}): creates them a few at a time, checks
 * that every one answers while all are up, reads the PSS of each child and of the host, then
 * disposes them. Creation stops early, and counts the rest as errors, when the machine runs
 * short of memory.
 */
final class ActiveAgents implements Scenario {
    private static final int ERRORS_KEPT = 5;
    /** Every creation has its own time limits in the host; this bounds the whole batch. */
    private static final Duration CREATE_ALL_TIMEOUT = Duration.ofMinutes(30);

    /** What happened to the agents of one run; filled by several creating threads. */
    private static final class Tally {
        final ConcurrentLinkedQueue<String> created = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicBoolean lowMemory = new AtomicBoolean();
        final Samples createLatency = new Samples();

        void error(String error) {
            errors.incrementAndGet();
            if (firstErrors.size() < ERRORS_KEPT) {
                firstErrors.add(error);
            }
        }
    }

    @Override
    public Map<String, Object> run(BenchHost bench, BenchSettings settings) throws Exception {
        int count = settings.agents();
        bench.awaitSettled();
        long memoryBefore = Pss.memAvailableMiB();
        Tally tally = new Tally();
        try {
            long begin = System.nanoTime();
            createAll(bench, settings, tally);
            double createSeconds = (System.nanoTime() - begin) / 1e9;
            List<String> created = new ArrayList<>(tally.created);
            created.sort(String::compareTo);
            int answering = countAnswering(bench, created, tally);

            Map<String, Object> figure = new LinkedHashMap<>();
            figure.put("requested", count);
            figure.put("created", created.size());
            figure.put("answering_all_up", answering);
            figure.put("errors", tally.errors.get());
            figure.put("first_errors", List.copyOf(tally.firstErrors));
            figure.put("create_total_s", round(createSeconds, 1));
            figure.put("create_concurrency", settings.concurrency());
            figure.put("create_latency_under_load", tally.createLatency.summary());
            figure.put("pool_size", bench.poolSize());
            figure.put("child_heap", settings.childHeap());
            figure.putAll(memory(bench, created));
            figure.put("mem_available_before_mib", memoryBefore);
            figure.put("mem_available_all_up_mib", Pss.memAvailableMiB());
            return Map.of("active_" + count, figure);
        } finally {
            disposeAll(bench, new ArrayList<>(tally.created));
        }
    }

    private static void createAll(BenchHost bench, BenchSettings settings, Tally tally)
            throws InterruptedException, ExecutionException {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(settings.concurrency(),
                r -> new Thread(r, "jaglets-bench-create-" + threads.incrementAndGet()));
        try {
            List<Future<?>> creations = new ArrayList<>();
            for (int i = 0; i < settings.agents(); i++) {
                String id = String.format("bench-active-%04d", i);
                creations.add(workers.submit(() -> createOne(bench, settings, tally, id)));
            }
            long deadline = System.nanoTime() + CREATE_ALL_TIMEOUT.toNanos();
            for (Future<?> creation : creations) {
                try {
                    creation.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    creation.cancel(true);
                    tally.error("not created within " + CREATE_ALL_TIMEOUT);
                }
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private static void createOne(BenchHost bench, BenchSettings settings, Tally tally, String id) {
        try {
            long available = Pss.memAvailableMiB();
            if (tally.lowMemory.get() || (available >= 0 && available < settings.memoryFloorMiB())) {
                if (!tally.lowMemory.getAndSet(true)) {
                    tally.error("stopped creating at " + available + " MiB available (floor "
                            + settings.memoryFloorMiB() + " MiB)");
                } else {
                    tally.errors.incrementAndGet();
                }
                return;
            }
            long start = System.nanoTime();
            bench.createEcho(id);
            tally.created.add(id);
            Object reply = bench.call(id, "ping");
            if (!"pong".equals(reply)) {
                throw new IllegalStateException("agent " + id + " answered ping with " + reply);
            }
            long elapsed = System.nanoTime() - start;
            synchronized (tally.createLatency) {
                tally.createLatency.add(elapsed);
            }
        } catch (RuntimeException e) {
            tally.error(id + ": " + e);
        } finally {
            int n = tally.done.incrementAndGet();
            if (n % 50 == 0 || n == settings.agents()) {
                Progress.say("active agents: " + n + "/" + settings.agents() + " created (" + tally.errors.get()
                        + " errors, " + Pss.memAvailableMiB() + " MiB available)");
            }
        }
    }

    /** Once all are up, how many answer {@code ping}. */
    private static int countAnswering(BenchHost bench, List<String> created, Tally tally) {
        int answering = 0;
        for (String id : created) {
            try {
                if ("pong".equals(bench.call(id, "ping"))) {
                    answering++;
                }
            } catch (RuntimeException e) {
                tally.error(id + " (all up): " + e);
            }
        }
        return answering;
    }

    /** PSS of every child and of the host, in MiB. */
    private static Map<String, Object> memory(BenchHost bench, List<String> created) {
        long[] childPss = created.stream().map(id -> bench.childPid(id).map(Pss::ofProcessKiB).orElse(-1L))
                .mapToLong(Long::longValue).filter(kib -> kib >= 0).sorted().toArray();
        long hostPss = Pss.ofProcessKiB(ProcessHandle.current().pid());
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("children_measured", childPss.length);
        if (childPss.length > 0) {
            long total = Arrays.stream(childPss).sum();
            memory.put("child_pss_median_mib", mib(median(childPss)));
            memory.put("child_pss_mean_mib", mib(total / (double) childPss.length));
            memory.put("child_pss_min_mib", mib(childPss[0]));
            memory.put("child_pss_max_mib", mib(childPss[childPss.length - 1]));
            memory.put("children_pss_total_mib", mib(total));
            if (hostPss >= 0) {
                memory.put("pss_per_agent_with_host_share_mib", mib((total + hostPss) / (double) childPss.length));
            }
        }
        memory.put("host_pss_mib", hostPss < 0 ? null : mib(hostPss));
        return memory;
    }

    /** Disposes agents a few at a time and waits for their children to exit. */
    private static void disposeAll(BenchHost bench, List<String> ids) throws InterruptedException {
        List<Optional<Long>> pids = new ArrayList<>();
        for (String id : ids) {
            try {
                pids.add(bench.childPid(id));
            } catch (RuntimeException e) {
                // disposed or crashed already: nothing to wait for
            }
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService disposers = Executors.newFixedThreadPool(4,
                r -> new Thread(r, "jaglets-bench-dispose-" + threads.incrementAndGet()));
        ids.forEach(id -> disposers.execute(() -> bench.disposeQuietly(id)));
        disposers.shutdown();
        if (!disposers.awaitTermination(5, TimeUnit.MINUTES)) {
            Progress.say("disposing " + ids.size() + " agents did not finish within 5 minutes");
            disposers.shutdownNow();
        }
        for (Optional<Long> pid : pids) {
            try {
                BenchHost.awaitExit(pid);
            } catch (IllegalStateException e) {
                Progress.say(e.getMessage());
            }
        }
    }

    private static double median(long[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    private static double mib(double kib) {
        return round(kib / 1024.0, 2);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
