package jaglets.bench.runner;

import jaglets.api.DeactivationRequest;
import jaglets.bench.report.Samples;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One agent deactivated and activated again, over and over; each call timed alone. Before each
 * call the pool is full and the previous child has exited.
 */
final class ActivationLatency implements Scenario {
    private static final String AGENT = "bench-lifecycle";

    @Override
    public Map<String, Object> run(BenchHost bench, BenchSettings settings) {
        Samples activations = new Samples();
        Samples deactivations = new Samples();
        bench.awaitSettled();
        bench.createEcho(AGENT);
        bench.call(AGENT, "ping");
        int total = settings.warmup() + settings.iterations();
        try {
            for (int i = 0; i < total; i++) {
                bench.awaitSettled();
                Optional<Long> pid = bench.childPid(AGENT);
                long start = System.nanoTime();
                bench.host().deactivate(AGENT, DeactivationRequest.external(null));
                long deactivated = System.nanoTime();
                BenchHost.awaitExit(pid);
                bench.awaitSettled();
                long activating = System.nanoTime();
                bench.host().activate(AGENT);
                long activated = System.nanoTime();
                if (i >= settings.warmup()) {
                    deactivations.add(deactivated - start);
                    activations.add(activated - activating);
                }
                Object count = bench.call(AGENT, "count");
                if (!(count instanceof Number)) {
                    throw new IllegalStateException("agent " + AGENT + " answered count with " + count);
                }
                if ((i + 1) % 10 == 0) {
                    Progress.say("deactivate/activate: " + (i + 1) + "/" + total);
                }
            }
        } finally {
            bench.disposeQuietly(AGENT);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("activate", activations.summary());
        figures.put("deactivate", deactivations.summary());
        return figures;
    }
}
