package jaglets.bench.runner;

import jaglets.api.DeactivationRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Leaves one inactive EchoJaglet (counter at 1) in the host's data folder; the driver copies
 * its record to make many inactive agents.
 */
final class SeedInactive implements Scenario {

    @Override
    public Map<String, Object> run(BenchHost bench, BenchSettings settings) {
        String id = settings.seedId();
        bench.awaitSettled();
        bench.createEcho(id);
        Object count = bench.call(id, "incr");
        bench.host().deactivate(id, DeactivationRequest.external(null));
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("agent_id", id);
        figure.put("count", count);
        figure.put("inactive", bench.host().health().inactiveCount());
        return Map.of("seed", figure);
    }
}
