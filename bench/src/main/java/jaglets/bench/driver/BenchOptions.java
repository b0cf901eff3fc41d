package jaglets.bench.driver;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The driver's command line. Every figure but {@code many}, {@code http-many} and {@code move}
 * runs by default (500 agents take 5 to 10 minutes on two cores by themselves, the moves between
 * two hosts about 5); {@code --all} adds them,
 * {@code --only} and {@code --skip} select figures, {@code --quick} shrinks every count for a
 * smoke run.
 */
record BenchOptions(Set<String> figures, int iterations, int coldIterations, int calls, int callWarmup, int agents,
                    int manyAgents, String manyHeap, int inactiveRecords, int concurrency, int httpCalls,
                    int httpSeconds, int httpCreateMinutes, int meshHosts, Path results, Path workBase, Path benchJar,
                    boolean keep, boolean quick) {

    /** The figures, in the order they run. */
    static final List<String> FIGURES = List.of("create", "lifecycle", "roundtrip", "memory", "inactive", "http",
            "mesh", "http-many", "move", "many");
    /** What a run without --all or --only measures. */
    static final List<String> DEFAULT_FIGURES = List.of("create", "lifecycle", "roundtrip", "memory", "inactive",
            "http", "mesh");
    /** The figures measured over HTTP from the driver (bench/results/http.json); the others go to runtime.json. */
    static final List<String> HTTP_FIGURES = List.of("http", "http-many");
    /** The figures of agents moving between two hosts, measured from the driver (bench/results/move.json). */
    static final List<String> MOVE_FIGURES = List.of("move");
    /** The mesh figures, measured from the driver (bench/results/mesh.json). */
    static final List<String> MESH_FIGURES = List.of("mesh");

    static final String USAGE = """
            usage: jaglets bench [options]
              --all               measure every figure, http-many, move and many included
              --only LIST         figures to measure, comma-separated (default: all but http-many,
                                  move and many):
                                  create     create -> first reply, warm pool and cold child
                                  lifecycle  activate and deactivate
                                  roundtrip  host.call round trip
                                  memory     PSS per agent with --agents active
                                  inactive   host start over --inactive inactive records, one answers
                                  http       over HTTP from this process: message round trip
                                             (keep-alive, new connection), throughput (1 and
                                             8 client threads), create, GET /agents with
                                             --agents active
                                  mesh       --mesh-hosts simulated hosts converging in one JVM;
                                             3 real hosts joined through one seed, one of
                                             them killed; 3 found by multicast beacons
                                  http-many  GET /agents with --many active, on the host of
                                             http (the figure with --agents comes on the way)
                                  move       between two hosts, from this process with HostClient:
                                             dispatch one way, A->B->A and clone, with a state
                                             of 1 KiB, 1 MiB and 16 MiB (child heap 256m)
                                  many       --many active agents on one host
              --skip LIST         figures to leave out
              --quick             a smoke run: 5 iterations, 1000 calls, 10/20 agents, 2000 records,
                                  2 s throughput runs, 5/3/2 moves per state size
              --iterations N      measured creates (warm) and activations (default 40)
              --cold-iterations N measured cold creates (default 15)
              --calls N           measured round trips, after N/10 warm-up calls (default 20000)
              --agents N          active agents for the memory figure and the first GET /agents
                                  (default 100)
              --many N            active agents for the many and http-many figures (default 500)
              --many-heap SIZE    child heap (-Xmx) for the many figure and the HTTP host (default 64m)
              --inactive N        inactive records for the inactive figure (default 100000)
              --concurrency N     creations in flight for memory, many and GET /agents (default 4)
              --http-calls N      measured HTTP round trips per keep-alive client, after N/10 warm-up
                                  calls; N/4 with a new connection each (default 20000)
              --http-seconds S    measured seconds of each throughput run, after S/3 (default 10)
              --http-create-minutes M  time limit for creating the GET /agents agents; past it the
                                  figure is taken at the count reached (default 15)
              --mesh-hosts N      simulated hosts of the mesh figure (default 200)
              --results DIR       where runtime.json, http.json, move.json, mesh.json and the
                                  host logs go (default bench/results)
              --work DIR          where temporary hosts live (default: the system temp folder)
              --bench-jar FILE    the benchmark host (default: bench.jar beside this jar)
              --keep              keep the temporary folder (data folders, records) for inspection
            """;

    static BenchOptions parse(String[] args, Path jarDir) {
        Set<String> figures = new LinkedHashSet<>(DEFAULT_FIGURES);
        int iterations = 40;
        int coldIterations = 15;
        int calls = 20_000;
        int agents = 100;
        int many = 500;
        String manyHeap = "64m";
        int inactive = 100_000;
        int concurrency = 4;
        int httpCalls = 20_000;
        int httpSeconds = 10;
        int httpCreateMinutes = 15;
        int meshHosts = 200;
        Path results = jarDir.resolve("../results").normalize();
        Path work = Path.of(System.getProperty("java.io.tmpdir"));
        Path benchJar = jarDir.resolve("bench.jar");
        boolean keep = false;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--all" -> figures.addAll(FIGURES);
                case "--only" -> figures = new LinkedHashSet<>(figureList(value(args, ++i, arg)));
                case "--skip" -> figures.removeAll(figureList(value(args, ++i, arg)));
                case "--quick" -> quick = true;
                case "--iterations" -> iterations = positive(args, ++i, arg);
                case "--cold-iterations" -> coldIterations = positive(args, ++i, arg);
                case "--calls" -> calls = positive(args, ++i, arg);
                case "--agents" -> agents = positive(args, ++i, arg);
                case "--many" -> many = positive(args, ++i, arg);
                case "--many-heap" -> manyHeap = value(args, ++i, arg);
                case "--inactive" -> inactive = positive(args, ++i, arg);
                case "--concurrency" -> concurrency = positive(args, ++i, arg);
                case "--http-calls" -> httpCalls = positive(args, ++i, arg);
                case "--http-seconds" -> httpSeconds = positive(args, ++i, arg);
                case "--http-create-minutes" -> httpCreateMinutes = positive(args, ++i, arg);
                case "--mesh-hosts" -> meshHosts = positive(args, ++i, arg);
                case "--results" -> results = Path.of(value(args, ++i, arg));
                case "--work" -> work = Path.of(value(args, ++i, arg));
                case "--bench-jar" -> benchJar = Path.of(value(args, ++i, arg));
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (quick) {
            iterations = Math.min(iterations, 5);
            coldIterations = Math.min(coldIterations, 5);
            calls = Math.min(calls, 1_000);
            agents = Math.min(agents, 10);
            many = Math.min(many, 20);
            inactive = Math.min(inactive, 2_000);
            httpCalls = Math.min(httpCalls, 1_000);
            httpSeconds = Math.min(httpSeconds, 2);
        }
        if (!manyHeap.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("--many-heap " + manyHeap + " is not a heap size like 64m");
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String figure : FIGURES) {
            if (figures.contains(figure)) {
                ordered.add(figure);
            }
        }
        return new BenchOptions(ordered, iterations, coldIterations, calls, Math.max(calls / 10, 100), agents, many,
                manyHeap, inactive, concurrency, httpCalls, httpSeconds, httpCreateMinutes, meshHosts,
                results.toAbsolutePath(), work.toAbsolutePath(), benchJar.toAbsolutePath(), keep, quick);
    }

    boolean runs(String figure) {
        return figures.contains(figure);
    }

    /** Whether any figure of runtime.json (measured inside benchmark hosts) is selected. */
    boolean runsHostFigures() {
        return figures.stream().anyMatch(f -> !HTTP_FIGURES.contains(f) && !MOVE_FIGURES.contains(f)
                && !MESH_FIGURES.contains(f));
    }

    /** Whether any figure of http.json is selected. */
    boolean runsHttp() {
        return figures.stream().anyMatch(HTTP_FIGURES::contains);
    }

    /** Whether any figure of move.json is selected. */
    boolean runsMove() {
        return figures.stream().anyMatch(MOVE_FIGURES::contains);
    }

    private static List<String> figureList(String value) {
        List<String> list = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String figure : list) {
            if (!FIGURES.contains(figure)) {
                throw new IllegalArgumentException("unknown figure '" + figure + "'; known: " + FIGURES);
            }
        }
        return list;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int positive(String[] args, int index, String option) {
        String value = value(args, index, option);
        try {
            int n = Integer.parseInt(value.replace("_", "").replace(",", ""));
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a positive whole number, not '" + value + "'");
        }
    }
}
