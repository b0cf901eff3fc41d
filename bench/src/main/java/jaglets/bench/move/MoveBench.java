package jaglets.bench.move;

import jaglets.api.AgentSummary;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.api.TransferTicket;
import jaglets.bench.report.MachineLoad;
import jaglets.bench.report.Samples;
import jaglets.http.HostClient;
import jaglets.http.HttpJagletProxy;
import jaglets.runtime.HostHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The client side of the move figures: two running hosts, A and B, driven with
 * {@link HostClient} as any Java client would. For each state size an EchoJaglet is created on
 * A and given a payload ({@code fill}); then, each call timed until it returns:
 * <ul>
 *   <li>{@code dispatch_<size>}: one dispatch, alternately A→B and B→A (the agent is live on the
 *       target when the call returns: the target's commit waits for its {@code run()});</li>
 *   <li>{@code round_trip_<size>}: a dispatch there and one back, back to back;</li>
 *   <li>{@code clone_<size>}: a clone to the other host; the copy is disposed afterwards.</li>
 * </ul>
 * Before each timed call both hosts are settled (class-data archive recorded, pool full) and the
 * child the agent left has exited, so no JVM boots while a call is timed; after it the agent
 * (or its copy) must answer {@code ping} where the call said it is. EchoJaglet records every
 * lifecycle hook in its state (about 130 bytes per move), so the agent is replaced by a fresh
 * one after {@code renew_after} moves or clones, and the largest hook list carried is reported.
 *
 * <p>Loaded by the driver in a class loader of its own, with HostClient and its libraries taken
 * from bench.jar; its entry point takes and returns plain maps, lists, strings and numbers.
 */
public final class MoveBench {
    static final String ECHO = "jaglets.examples.EchoJaglet";
    /** How long a pool may take to refill or a released child to exit. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);
    private static final long POLL_MILLIS = 5;

    private final HostClient client;
    private final String hostA;
    private final String hostB;
    private final int poolSize;
    private final int renewAfter;
    private final Consumer<String> progress;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<Object> errors = new ArrayList<>();
    private int serial;

    private MoveBench(HostClient client, String hostA, String hostB, int poolSize, int renewAfter,
                      Consumer<String> progress) {
        this.client = client;
        this.hostA = hostA;
        this.hostB = hostB;
        this.poolSize = poolSize;
        this.renewAfter = renewAfter;
        this.progress = progress;
    }

    /**
     * Measures every figure.
     *
     * @param settings {@code host_a}, {@code host_b} (URLs), {@code pool_size},
     *        {@code renew_after}, {@code client_timeout_s}, {@code host_warmup_moves} and {@code sizes}: a list of
     *        {@code {key, label, bytes, samples, warmup}}
     * @return {@code figures} (by key) and {@code errors} (strings)
     */
    public static Map<String, Object> run(Map<String, Object> settings, Consumer<String> progress)
            throws InterruptedException {
        HostClient client = HostClient.create(null, Duration.ofSeconds(number(settings, "client_timeout_s")));
        MoveBench bench = new MoveBench(client, (String) settings.get("host_a"), (String) settings.get("host_b"),
                (int) number(settings, "pool_size"), (int) number(settings, "renew_after"), progress);
        bench.warmUpHosts((int) number(settings, "host_warmup_moves"));
        for (Object entry : (List<?>) settings.get("sizes")) {
            Map<?, ?> size = (Map<?, ?>) entry;
            bench.size(new Size((String) size.get("key"), (String) size.get("label"), (int) number(size, "bytes"),
                    (int) number(size, "samples"), (int) number(size, "warmup")));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("figures", bench.figures);
        result.put("errors", bench.errors);
        return result;
    }

    /**
     * Dispatches of a small agent back and forth, each onto a full pool as the timed ones, so that
     * the figures are those of hosts that have moved agents before: a host's own code is compiled
     * only after it has run a few dozen moves, and the per-figure warm-up is too short for that.
     * Their times are kept apart ({@code host_warmup}: the first twenty and, when they do not
     * overlap, the last twenty), to show what the warm-up changes.
     */
    private void warmUpHosts(int moves) throws InterruptedException {
        if (moves <= 0) {
            return;
        }
        String id = "move-warmup-" + (++serial);
        List<Long> nanos = new ArrayList<>();
        try {
            client.create(hostA, ECHO, null, id, Map.of("count", 0), null);
            String at = hostA;
            for (int i = 0; i < moves; i++) {
                settle();
                String to = other(at);
                long start = System.nanoTime();
                client.dispatch(at, id, TransferTicket.to(to));
                nanos.add(System.nanoTime() - start);
                at = to;
                if ((i + 1) % 20 == 0 || i + 1 == moves) {
                    progress.accept("warming up the hosts: " + (i + 1) + "/" + moves + " dispatches");
                }
            }
            Optional<Long> pid = childPid(at, id);
            client.dispose(at, id);
            awaitExit(pid);
        } catch (RuntimeException e) {
            // the figures are still measured, on hosts less warm than they should be
            errors.add("host_warmup: " + e);
            progress.accept("warming up the hosts failed: " + e);
            disposeEverywhere(id);
            return;
        }
        int part = Math.min(20, moves);
        Map<String, Object> warmup = new LinkedHashMap<>();
        warmup.put("moves", moves);
        warmup.put("first", summary(nanos.subList(0, part)));
        if (moves >= 2 * part) {
            warmup.put("last", summary(nanos.subList(moves - part, moves)));
        }
        figures.put("host_warmup", warmup);
    }

    private static Map<String, Object> summary(List<Long> nanos) {
        Samples samples = new Samples();
        nanos.forEach(samples::add);
        return samples.summary();
    }

    private static long number(Map<?, ?> map, String key) {
        return ((Number) map.get(key)).longValue();
    }

    /** One state size: its figures' key suffix, its label, the payload and the sample counts. */
    private record Size(String key, String label, int bytes, int samples, int warmup) {
    }

    /** The agent being moved: where it is, and how often it moved or was cloned since it was made. */
    private static final class Agent {
        final String id;
        String host;
        int uses;

        Agent(String id, String host) {
            this.id = id;
            this.host = host;
        }
    }

    /** What one figure gathers beside its samples. */
    private static final class Series {
        final Size size;
        Agent agent;
        int agents;
        long hookBytesMax;

        Series(Size size) {
            this.size = size;
        }
    }

    private void size(Size size) throws InterruptedException {
        measure("dispatch_" + size.key(), size, this::oneWay);
        measure("round_trip_" + size.key(), size, this::roundTrip);
        measure("clone_" + size.key(), size, this::cloneCopy);
    }

    /** One dispatch per sample, alternately A→B and B→A; each direction also given alone. */
    private Map<String, Object> oneWay(Series series) throws Exception {
        Samples all = new Samples();
        Samples aToB = new Samples();
        Samples bToA = new Samples();
        int total = series.size.warmup() + series.size.samples();
        for (int i = 0; i < total; i++) {
            Agent agent = agentFor(series);
            String from = agent.host;
            String to = other(from);
            settle();
            Optional<Long> pid = childPid(from, agent.id);
            long start = System.nanoTime();
            HttpJagletProxy moved = step("dispatch", agent, from, to,
                    () -> client.dispatch(from, agent.id, TransferTicket.to(to)));
            long nanos = System.nanoTime() - start;
            agent.uses++;
            expectAt(moved, to, agent.id, "dispatch");
            agent.host = to;
            if (i >= series.size.warmup()) {
                all.add(nanos);
                (from.equals(hostA) ? aToB : bToA).add(nanos);
            }
            awaitExit(pid);
            ping(to, agent.id);
            tell("dispatch", series, i, total);
        }
        Map<String, Object> figure = all.summary();
        figure.put("a_to_b", aToB.summary());
        figure.put("b_to_a", bToA.summary());
        return figure;
    }

    /** Two dispatches back to back, there and back, timed together; the first leg also alone. */
    private Map<String, Object> roundTrip(Series series) throws Exception {
        Samples both = new Samples();
        Samples firstLeg = new Samples();
        int total = series.size.warmup() + series.size.samples();
        for (int i = 0; i < total; i++) {
            Agent agent = agentFor(series);
            String home = agent.host;
            String away = other(home);
            settle();
            Optional<Long> pid = childPid(home, agent.id);
            long start = System.nanoTime();
            HttpJagletProxy there = step("dispatch", agent, home, away,
                    () -> client.dispatch(home, agent.id, TransferTicket.to(away)));
            long middle = System.nanoTime();
            HttpJagletProxy back = step("dispatch back", agent, away, home,
                    () -> client.dispatch(away, agent.id, TransferTicket.to(home)));
            long end = System.nanoTime();
            agent.uses += 2;
            expectAt(there, away, agent.id, "dispatch there");
            expectAt(back, home, agent.id, "dispatch back");
            if (i >= series.size.warmup()) {
                both.add(end - start);
                firstLeg.add(middle - start);
            }
            awaitExit(pid);
            ping(home, agent.id);
            tell("there and back", series, i, total);
        }
        Map<String, Object> figure = both.summary();
        figure.put("first_leg", firstLeg.summary());
        return figure;
    }

    /** One clone to the other host per sample; the copy answers ping, then is disposed and its child gone. */
    private Map<String, Object> cloneCopy(Series series) throws Exception {
        Samples samples = new Samples();
        int total = series.size.warmup() + series.size.samples();
        for (int i = 0; i < total; i++) {
            Agent agent = agentFor(series);
            String from = agent.host;
            String to = other(from);
            settle();
            long start = System.nanoTime();
            HttpJagletProxy copy = step("clone", agent, from, to,
                    () -> client.cloneAgent(from, agent.id, TransferTicket.to(to)));
            long nanos = System.nanoTime() - start;
            agent.uses++;
            if (copy.agentId().equals(agent.id)) {
                throw new IllegalStateException("the clone of " + agent.id + " has the same id");
            }
            expectAt(copy, to, copy.agentId(), "clone");
            if (i >= series.size.warmup()) {
                samples.add(nanos);
            }
            ping(to, copy.agentId());
            Optional<Long> pid = childPid(to, copy.agentId());
            client.dispose(to, copy.agentId());
            awaitExit(pid);
            tell("clone", series, i, total);
        }
        return samples.summary();
    }

    /**
     * The series' agent, or a fresh one on A carrying the size's payload once the current one
     * has been used {@code renew_after} times.
     */
    private Agent agentFor(Series series) throws InterruptedException {
        if (series.agent != null && series.agent.uses < renewAfter) {
            return series.agent;
        }
        retire(series);
        String id = "move-" + series.size.key() + "-" + (++serial);
        client.create(hostA, ECHO, null, id, Map.of("count", 0), null);
        series.agent = new Agent(id, hostA);
        series.agents++;
        Object filled;
        try {
            filled = client.send(hostA, id, Message.of("fill").withArg("size", series.size.bytes()),
                    SendOptions.DEFAULT);
        } catch (RuntimeException e) {
            throw new IllegalStateException("agent " + id + " could not take a payload of " + series.size.bytes()
                    + " bytes (fill): " + e.getMessage(), e);
        }
        if (!(filled instanceof Number n) || n.intValue() != series.size.bytes()) {
            throw new IllegalStateException("agent " + id + " answered fill " + series.size.bytes() + " with "
                    + filled);
        }
        return series.agent;
    }

    /** Notes the size of the agent's hook list, disposes it and waits for its child to exit. */
    private void retire(Series series) throws InterruptedException {
        Agent agent = series.agent;
        series.agent = null;
        if (agent == null) {
            return;
        }
        if (client.send(agent.host, agent.id, Message.of("hooks"), SendOptions.DEFAULT) instanceof List<?> hooks) {
            long bytes = 2;
            for (Object hook : hooks) {
                bytes += String.valueOf(hook).length() + 3; // quotes and comma
            }
            series.hookBytesMax = Math.max(series.hookBytesMax, bytes);
        }
        Optional<Long> pid = childPid(agent.host, agent.id);
        client.dispose(agent.host, agent.id);
        awaitExit(pid);
    }

    /** After a failure: the agent may be on either host, or gone; remove it wherever it is. */
    private void forget(Series series) {
        Agent agent = series.agent;
        series.agent = null;
        if (agent != null) {
            disposeEverywhere(agent.id);
        }
    }

    /** Disposes the agent on whichever host has it, if either does. */
    private void disposeEverywhere(String agentId) {
        for (String host : List.of(hostA, hostB)) {
            try {
                client.dispose(host, agentId);
            } catch (RuntimeException e) {
                // not there
            }
        }
    }

    /** A timed call; its failure names the step, the agent and the hosts. */
    private <T> T step(String what, Agent agent, String from, String to, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw new IllegalStateException(what + " of " + agent.id + " from " + from + " to " + to + " failed: "
                    + e, e);
        }
    }

    private String other(String host) {
        return host.equals(hostA) ? hostB : hostA;
    }

    private static void expectAt(HttpJagletProxy proxy, String host, String agentId, String what) {
        if (!strip(proxy.hostAddress()).equalsIgnoreCase(strip(host)) || !agentId.equals(proxy.agentId())) {
            throw new IllegalStateException(what + " of " + agentId + " answered " + proxy.agentId() + " at "
                    + proxy.hostAddress() + ", not at " + host);
        }
    }

    private static String strip(String url) {
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : String.valueOf(url);
    }

    private void ping(String host, String agentId) {
        Object reply = client.send(host, agentId, Message.of("ping"), SendOptions.DEFAULT);
        if (!"pong".equals(reply)) {
            throw new IllegalStateException("agent " + agentId + " on " + host + " answered ping with " + reply);
        }
    }

    private Optional<Long> childPid(String host, String agentId) {
        AgentSummary summary = client.agent(host, agentId);
        return Optional.ofNullable(summary.pid());
    }

    /** Waits until both hosts have their archive and a full pool. */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        for (String host : List.of(hostA, hostB)) {
            while (true) {
                HostHealth health = client.health(host);
                if (health.childArchive() && health.pooledChildren() >= poolSize) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(host + " did not settle within " + SETTLE_TIMEOUT + ": archive "
                            + health.childArchive() + ", " + health.pooledChildren() + " of " + poolSize
                            + " pooled children");
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    /** Waits for a released child JVM to be gone. */
    private static void awaitExit(Optional<Long> pid) throws InterruptedException {
        Optional<ProcessHandle> handle = pid.flatMap(ProcessHandle::of);
        if (handle.isEmpty()) {
            return;
        }
        try {
            handle.get().onExit().get(SETTLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("child " + pid.get() + " did not exit within " + SETTLE_TIMEOUT, e);
        }
    }

    private void tell(String what, Series series, int i, int total) {
        if ((i + 1) % 10 == 0 || i + 1 == total) {
            progress.accept(what + ", " + series.size.label() + " state: " + (i + 1) + "/" + total);
        }
    }

    /** A figure's work: may fail, which is recorded. */
    private interface Figure {
        Map<String, Object> measure(Series series) throws Exception;
    }

    private void measure(String key, Size size, Figure figure) throws InterruptedException {
        long begin = System.nanoTime();
        long pressureBefore = MachineLoad.cpuPressureMicros();
        Series series = new Series(size);
        try {
            Map<String, Object> measured = figure.measure(series);
            retire(series);
            measured.put("warmup", size.warmup());
            measured.put("payload_bytes", size.bytes());
            measured.put("agents_used", series.agents);
            measured.put("renew_after", renewAfter);
            measured.put("hook_list_json_bytes_max", series.hookBytesMax);
            measured.put("wall_s", Math.round((System.nanoTime() - begin) / 1e8) / 10.0);
            // how contended the two cores were while this figure ran
            measured.put("cpu_pressure_pct", MachineLoad.pressurePercent(pressureBefore,
                    MachineLoad.cpuPressureMicros(), System.nanoTime() - begin));
            measured.put("load_average_at_end", MachineLoad.loadAverage());
            figures.put(key, measured);
            progress.accept(key + ": p50 " + millis(measured.get("p50_ms")) + ", p99 " + millis(measured.get("p99_ms"))
                    + " (n=" + measured.get("n") + ")");
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            errors.add(key + ": " + e);
            progress.accept(key + " failed: " + e);
            forget(series);
            // the figure is kept as failed, so the report does not mistake it for one not selected
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("error", String.valueOf(e));
            failed.put("payload_bytes", size.bytes());
            failed.put("wall_s", Math.round((System.nanoTime() - begin) / 1e8) / 10.0);
            figures.put(key, failed);
        }
    }

    private static String millis(Object value) {
        return value instanceof Number n ? String.format(Locale.ROOT, "%.2f ms", n.doubleValue()) : "-";
    }
}
