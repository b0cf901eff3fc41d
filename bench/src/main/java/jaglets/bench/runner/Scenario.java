package jaglets.bench.runner;

import java.util.Map;

/** One measurement against a running host. */
interface Scenario {

    /** Returns figures by name (each a map of values); throws when the measurement failed. */
    Map<String, Object> run(BenchHost host, BenchSettings settings) throws Exception;
}
