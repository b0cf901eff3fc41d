package jaglets.bench.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the HTTP benchmark measures, and how much.
 *
 * @param messaging whether round trips, throughput and create are measured; without them only
 *        {@code GET /agents} is
 * @param calls measured round trips per keep-alive client
 * @param callWarmup unmeasured round trips before those
 * @param newConnectionCalls measured round trips with a new connection each
 * @param throughputWarmup how long each throughput run goes before it is measured
 * @param throughputRun how long each throughput run is measured
 * @param threads client threads (and agents) of the many-client throughput figure
 * @param createIterations measured creates with the pool refilled in between
 * @param createWarmup unmeasured creates before those
 * @param backToBack creates sent one right after the other
 * @param listAgents active agents for the first {@code GET /agents} figure
 * @param manyAgents active agents for the second {@code GET /agents} figure; 0 leaves it out
 * @param listRequests measured {@code GET /agents} per figure
 * @param listWarmup unmeasured {@code GET /agents} before those
 * @param concurrency creations in flight at once while the agents for {@code GET /agents} are made
 * @param createLimit how long making those agents may take in all; past it the figure is taken
 *        at the count reached
 * @param memoryFloorMiB creation stops when the machine's MemAvailable falls below this
 * @param timeout the longest any one request may take
 */
public record HttpSettings(boolean messaging, int calls, int callWarmup, int newConnectionCalls, Duration throughputWarmup,
                           Duration throughputRun, int threads, int createIterations, int createWarmup,
                           int backToBack, int listAgents, int manyAgents, int listRequests, int listWarmup,
                           int concurrency, Duration createLimit, long memoryFloorMiB, Duration timeout) {

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("messaging", messaging);
        json.put("round_trip_calls", calls);
        json.put("round_trip_warmup_calls", callWarmup);
        json.put("new_connection_calls", newConnectionCalls);
        json.put("throughput_warmup_s", throughputWarmup.toMillis() / 1000.0);
        json.put("throughput_measured_s", throughputRun.toMillis() / 1000.0);
        json.put("throughput_threads", threads);
        json.put("create_iterations", createIterations);
        json.put("create_warmup", createWarmup);
        json.put("create_back_to_back", backToBack);
        json.put("list_agents", listAgents);
        json.put("list_many_agents", manyAgents);
        json.put("list_requests", listRequests);
        json.put("list_warmup", listWarmup);
        json.put("create_concurrency", concurrency);
        json.put("create_limit_s", createLimit.toSeconds());
        json.put("memory_floor_mib", memoryFloorMiB);
        json.put("request_timeout_s", timeout.toSeconds());
        return json;
    }
}
