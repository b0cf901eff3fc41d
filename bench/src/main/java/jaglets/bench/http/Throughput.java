package jaglets.bench.http;

import jaglets.bench.report.Samples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client threads, each sending {@code ping} to its own agent as fast as answers come back, for
 * a fixed time after a warm-up; the figure is the answers counted in the measured window per
 * second, with the latency of the requests started in it.
 */
final class Throughput {
    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;
    private static final int ERRORS_KEPT = 3;

    /** One client thread's way of sending one {@code ping}; it throws if the answer is not {@code pong}. */
    interface Caller extends AutoCloseable {
        void ping() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** Makes the caller of thread {@code index} (which talks to agent {@code index}). */
    interface Callers {
        Caller open(int index) throws Exception;
    }

    private volatile int phase = WARMUP;

    /** One client thread: its count only ever grows, and only that thread writes it. */
    private final class Worker extends Thread {
        private final Caller caller;
        private final Samples latency = new Samples();
        private final List<String> firstErrors = new ArrayList<>();
        private volatile long answered;
        private volatile long errors;

        Worker(String name, Caller caller) {
            super(name);
            this.caller = caller;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (caller) {
                int current;
                while ((current = phase) != STOP) {
                    long start = System.nanoTime();
                    try {
                        caller.ping();
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        errors++;
                        if (firstErrors.size() < ERRORS_KEPT) {
                            firstErrors.add(String.valueOf(e));
                        }
                        continue;
                    }
                    if (current == MEASURE) {
                        latency.add(System.nanoTime() - start);
                    }
                    answered++;
                }
            } catch (Exception e) {
                firstErrors.add("closing the client: " + e);
            }
        }
    }

    /**
     * Runs {@code threads} client threads for {@code warmup} then {@code measured}; stops them
     * and waits up to {@code joinTimeout} for each.
     */
    Map<String, Object> run(String label, int threads, Callers callers, Duration warmup, Duration measured,
                            Duration joinTimeout, ProcessHandle host) throws Exception {
        List<Worker> workers = new ArrayList<>();
        AtomicInteger names = new AtomicInteger();
        try {
            for (int i = 0; i < threads; i++) {
                workers.add(new Worker("bench-http-" + label + "-" + names.incrementAndGet(), callers.open(i)));
            }
            workers.forEach(Thread::start);
            Thread.sleep(warmup.toMillis());
            long answeredBefore = answered(workers);
            long errorsBefore = errors(workers);
            CpuUse cpuBefore = CpuUse.sample(host);
            long begin = System.nanoTime();
            phase = MEASURE;
            Thread.sleep(measured.toMillis());
            long answeredAfter = answered(workers);
            long errorsAfter = errors(workers);
            long end = System.nanoTime();
            CpuUse cpuAfter = CpuUse.sample(host);
            phase = STOP;
            join(workers, joinTimeout);
            double seconds = (end - begin) / 1e9;
            Samples latency = new Samples();
            List<String> firstErrors = new ArrayList<>();
            workers.forEach(w -> {
                latency.addAll(w.latency);
                w.firstErrors.stream().limit(ERRORS_KEPT).forEach(firstErrors::add);
            });
            Map<String, Object> figure = new LinkedHashMap<>();
            figure.put("threads", threads);
            figure.put("agents", threads);
            figure.put("msgs_per_s", Math.round((answeredAfter - answeredBefore) / seconds));
            figure.put("answered", answeredAfter - answeredBefore);
            figure.put("errors", errorsAfter - errorsBefore);
            figure.put("errors_in_warmup", errorsBefore);
            figure.put("first_errors", firstErrors.stream().limit(ERRORS_KEPT).toList());
            figure.put("measured_s", Math.round(seconds * 100) / 100.0);
            figure.put("warmup_s", warmup.toMillis() / 1000.0);
            figure.put("latency", latency.count() == 0 ? Map.of("n", 0) : latency.summary());
            figure.put("cpu", cpuAfter.perMessageSince(cpuBefore, answeredAfter - answeredBefore));
            return figure;
        } finally {
            phase = STOP;
            join(workers, joinTimeout);
        }
    }

    private static long answered(List<Worker> workers) {
        return workers.stream().mapToLong(w -> w.answered).sum();
    }

    private static long errors(List<Worker> workers) {
        return workers.stream().mapToLong(w -> w.errors).sum();
    }

    private static void join(List<Worker> workers, Duration timeout) throws InterruptedException {
        for (Worker worker : workers) {
            if (worker.isAlive()) {
                worker.join(timeout.toMillis());
            }
            if (worker.isAlive()) {
                worker.interrupt();
            }
        }
    }
}
