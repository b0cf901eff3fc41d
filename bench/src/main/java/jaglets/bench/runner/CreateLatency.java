package jaglets.bench.runner;

import jaglets.bench.report.Samples;
import java.util.Map;
import java.util.Optional;

/**
 * Create an EchoJaglet and send it {@code ping}, timed together. With a pool the child is
 * pre-booted (figure {@code create_first_reply_warm}); with pool size 0 every create boots a
 * JVM ({@code create_first_reply_cold}). The two parts are also given alone. Between
 * iterations the agent is disposed, its child has exited and the pool is full again.
 */
final class CreateLatency implements Scenario {

    @Override
    public Map<String, Object> run(BenchHost bench, BenchSettings settings) {
        boolean cold = bench.poolSize() == 0;
        String label = cold ? "cold" : "warm";
        Samples samples = new Samples();
        Samples createParts = new Samples();
        Samples pingParts = new Samples();
        int total = settings.warmup() + settings.iterations();
        for (int i = 0; i < total; i++) {
            bench.awaitSettled();
            String id = "bench-create-" + i;
            long start = System.nanoTime();
            bench.createEcho(id);
            long created = System.nanoTime();
            Object reply = bench.call(id, "ping");
            long end = System.nanoTime();
            if (!"pong".equals(reply)) {
                throw new IllegalStateException("agent " + id + " answered ping with " + reply);
            }
            if (i >= settings.warmup()) {
                samples.add(end - start);
                createParts.add(created - start);
                pingParts.add(end - created);
            }
            Optional<Long> pid = bench.childPid(id);
            bench.host().dispose(id);
            BenchHost.awaitExit(pid);
            if ((i + 1) % 10 == 0) {
                Progress.say("create (" + label + "): " + (i + 1) + "/" + total);
            }
        }
        Map<String, Object> figure = samples.summary();
        figure.put("create_part", createParts.summary());
        figure.put("first_ping_part", pingParts.summary());
        figure.put("pool_size", bench.poolSize());
        figure.put("child_heap", settings.childHeap());
        return Map.of("create_first_reply_" + label, figure);
    }
}
