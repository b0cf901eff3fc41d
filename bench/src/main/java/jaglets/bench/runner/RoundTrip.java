package jaglets.bench.runner;

import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.bench.report.Samples;
import java.util.Map;

/**
 * {@code host.call(id, Message.of("ping"), SendOptions.DEFAULT)} to one active agent, each
 * call timed alone, after a warm-up.
 */
final class RoundTrip implements Scenario {
    private static final String AGENT = "bench-roundtrip";

    @Override
    public Map<String, Object> run(BenchHost bench, BenchSettings settings) {
        bench.awaitSettled();
        bench.createEcho(AGENT);
        try {
            for (int i = 0; i < settings.callWarmup(); i++) {
                call(bench);
            }
            bench.awaitSettled();
            Samples samples = new Samples();
            long begin = System.nanoTime();
            for (int i = 0; i < settings.calls(); i++) {
                long start = System.nanoTime();
                call(bench);
                samples.add(System.nanoTime() - start);
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            Map<String, Object> figure = samples.summary();
            figure.put("warmup_calls", settings.callWarmup());
            figure.put("calls_per_s", Math.round(settings.calls() / seconds));
            return Map.of("round_trip", figure);
        } finally {
            bench.disposeQuietly(AGENT);
        }
    }

    private static void call(BenchHost bench) {
        Object reply = bench.host().call(AGENT, Message.of("ping"), SendOptions.DEFAULT);
        if (!"pong".equals(reply)) {
            throw new IllegalStateException("agent " + AGENT + " answered ping with " + reply);
        }
    }
}
