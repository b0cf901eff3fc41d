package jaglets.bench.http;

import jaglets.bench.report.Json;
import jaglets.bench.report.Samples;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * {@code GET /agents?state=active} with many agents active on the host, each request timed
 * until the last byte of the answer on a kept plain-socket connection (so the figure shows the
 * host, not a client library), the JSON parsed afterwards (untimed) to check its {@code total}. The agents are created over HTTP a few at a time, up to a count; creation
 * stops early when it runs past its time limit, when the machine runs short of memory or after
 * repeated errors, and the figure is then taken at the count reached.
 */
final class ListAgents implements AutoCloseable {
    private static final int ERRORS_KEPT = 5;
    private static final int MAX_ERRORS = 20;

    private final HostApi api;
    private final InetSocketAddress address;
    private final HttpSettings settings;
    private final LongSupplier memAvailableMiB;
    private final Consumer<String> progress;
    private final List<String> created = new ArrayList<>();
    private final List<String> firstErrors = new ArrayList<>();
    private int errors;

    ListAgents(HostApi api, InetSocketAddress address, HttpSettings settings, LongSupplier memAvailableMiB,
               Consumer<String> progress) {
        this.api = api;
        this.address = address;
        this.settings = settings;
        this.memAvailableMiB = memAvailableMiB;
        this.progress = progress;
    }

    /** Brings the agents this scenario made up to {@code target}, then measures; the figure says how far it got. */
    Map<String, Object> measureAt(int target, long deadlineNanos) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        int before = created.size();
        String stopped = createUpTo(target, deadlineNanos);
        double createSeconds = (System.nanoTime() - begin) / 1e9;
        api.awaitSettled();
        int active = activeCount();
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("requested", target);
        figure.put("active", active);
        figure.put("created_by_benchmark", created.size());
        figure.put("create_s", Math.round(createSeconds * 10) / 10.0);
        figure.put("created_in_this_step", created.size() - before);
        figure.put("create_stopped", stopped);
        figure.put("create_errors", errors);
        figure.put("first_create_errors", List.copyOf(firstErrors));
        figure.putAll(timeGets(active));
        progress.accept("GET /agents with " + active + " active: p50 " + figure.get("p50_ms") + " ms, p99 "
                + figure.get("p99_ms") + " ms (" + figure.get("body_bytes") + " bytes)");
        return figure;
    }

    private Map<String, Object> timeGets(int active) throws IOException, InterruptedException {
        Samples samples = new Samples();
        int bytes = 0;
        byte[] request = SocketHttp.request("GET", "/agents?state=active", address, null, false);
        try (SocketHttp http = new SocketHttp(address, settings.timeout())) {
            for (int i = 0; i < settings.listWarmup() + settings.listRequests(); i++) {
                long start = System.nanoTime();
                SocketHttp.Reply reply = http.exchange(request);
                long end = System.nanoTime();
                if (reply.status() != 200) {
                    throw new IOException("GET /agents answered " + reply.status() + ": " + reply.text());
                }
                if (i == 0 || i == settings.listWarmup()) {
                    Object total = Json.parseObject(reply.text()).get("total");
                    if (!(total instanceof Number n) || n.intValue() != active) {
                        throw new IOException("GET /agents counted " + total + " agents, the host has " + active);
                    }
                    bytes = reply.body().length;
                }
                if (i >= settings.listWarmup()) {
                    samples.add(end - start);
                }
            }
        }
        Map<String, Object> figure = samples.summary();
        figure.put("warmup", settings.listWarmup());
        figure.put("body_bytes", bytes);
        return figure;
    }

    private int activeCount() throws IOException, InterruptedException {
        return api.health().get("active_count") instanceof Number n ? n.intValue() : -1;
    }

    /** Creates agents {@code concurrency} at a time until this scenario made {@code target}; why it stopped, or null. */
    private String createUpTo(int target, long deadlineNanos) throws InterruptedException {
        AtomicReference<String> stop = new AtomicReference<>();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(settings.concurrency(),
                r -> new Thread(r, "bench-http-create-" + threads.incrementAndGet()));
        ConcurrentLinkedQueue<String> made = new ConcurrentLinkedQueue<>();
        AtomicInteger done = new AtomicInteger(created.size());
        try {
            for (int i = created.size(); i < target; i++) {
                String id = String.format("http-list-%04d", i);
                workers.execute(() -> {
                    if (stop.get() != null) {
                        return;
                    }
                    String reason = reasonToStop(deadlineNanos);
                    if (reason != null) {
                        stop.compareAndSet(null, reason);
                        return;
                    }
                    try {
                        api.create(id);
                        made.add(id);
                    } catch (IOException | RuntimeException e) {
                        error(id + ": " + e, stop);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    int n = done.incrementAndGet();
                    if (n % 50 == 0) {
                        progress.accept("GET /agents: " + n + "/" + target + " agents created (" + memAvailableMiB
                                .getAsLong() + " MiB available)");
                    }
                });
            }
            workers.shutdown();
            long left = deadlineNanos - System.nanoTime() + settings.timeout().toNanos();
            if (!workers.awaitTermination(Math.max(left, 0), TimeUnit.NANOSECONDS)) {
                stop.compareAndSet(null, "creations still running past the time limit");
            }
        } finally {
            workers.shutdownNow();
            workers.awaitTermination(settings.timeout().toSeconds(), TimeUnit.SECONDS);
            synchronized (this) {
                created.addAll(made);
            }
        }
        return stop.get();
    }

    private String reasonToStop(long deadlineNanos) {
        if (System.nanoTime() > deadlineNanos) {
            return "time limit of " + settings.createLimit().toMinutes() + " min reached";
        }
        long available = memAvailableMiB.getAsLong();
        if (available >= 0 && available < settings.memoryFloorMiB()) {
            return "MemAvailable " + available + " MiB below the floor of " + settings.memoryFloorMiB() + " MiB";
        }
        return null;
    }

    private synchronized void error(String error, AtomicReference<String> stop) {
        errors++;
        if (firstErrors.size() < ERRORS_KEPT) {
            firstErrors.add(error);
        }
        if (errors >= MAX_ERRORS) {
            stop.compareAndSet(null, errors + " creation errors");
        }
    }

    /** Disposes every agent this scenario made, a few at a time, and waits for their children to exit. */
    @Override
    public void close() throws InterruptedException {
        List<String> ids;
        synchronized (this) {
            ids = List.copyOf(created);
            created.clear();
        }
        if (ids.isEmpty()) {
            return;
        }
        progress.accept("disposing " + ids.size() + " agents");
        ConcurrentLinkedQueue<Optional<Long>> pids = new ConcurrentLinkedQueue<>();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService disposers = Executors.newFixedThreadPool(settings.concurrency(),
                r -> new Thread(r, "bench-http-dispose-" + threads.incrementAndGet()));
        for (String id : ids) {
            disposers.execute(() -> {
                try {
                    pids.add(api.childPid(id));
                    api.dispose(id);
                } catch (IOException | RuntimeException e) {
                    progress.accept("could not dispose " + id + ": " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        disposers.shutdown();
        if (!disposers.awaitTermination(5, TimeUnit.MINUTES)) {
            progress.accept("disposing " + ids.size() + " agents did not finish within 5 minutes");
            disposers.shutdownNow();
        }
        for (Optional<Long> pid : pids) {
            try {
                HostApi.awaitExit(pid);
            } catch (IOException e) {
                progress.accept(e.getMessage());
            }
        }
    }
}
