package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jaglets.api.AgentStatus;
import jaglets.api.AgentSummary;
import jaglets.api.ArrivalMode;
import jaglets.api.JagletException;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.api.TransferTicket;
import jaglets.http.HostClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many dispatches between two hosts while one or the other is killed with {@code kill -9} at
 * random moments and restarted. Agents rest inactive (durable) between moves, and every
 * acknowledged message is stored before it is acknowledged; so at the end every agent must exist
 * exactly once, on one host, with every acknowledged message counted once.
 */
class MovementFaultTest {
    private static final int AGENTS = 4;
    /** The chaos lasts until this many dispatches were acknowledged and hosts killed, or the time below is up. */
    private static final int MOVES = 16;
    private static final int KILLS = 4;
    private static final Duration CHAOS = Duration.ofSeconds(120);

    @TempDir
    Path home;

    /** What the driver knows of one agent: acknowledged increments, and those whose answer was lost. */
    private static final class Tally {
        int acknowledged;
        int uncertain;
    }

    @Test
    void everyAgentExistsExactlyOnceWithItsAcknowledgedStateAfterKillsDuringDispatches() throws Exception {
        HostProcess a = HostProcess.start(home.resolve("a"), "fault-a");
        HostProcess b = HostProcess.start(home.resolve("b"), "fault-b");
        HostProcess[] hosts = {a, b};
        HostClient client = HostClient.create(null, Duration.ofSeconds(20));
        try {
            Map<String, Tally> tallies = new HashMap<>();
            for (int i = 0; i < AGENTS; i++) {
                String id = "mover-" + i;
                client.create(a.url(), "jaglets.examples.EchoJaglet", null, id, null, null);
                client.deactivate(a.url(), id, null);
                tallies.put(id, new Tally());
            }
            AtomicBoolean chaos = new AtomicBoolean(true);
            AtomicInteger kills = new AtomicInteger();
            AtomicInteger acknowledgedMoves = new AtomicInteger();
            Thread killer = new Thread(() -> {
                Random random = new Random(7);
                while (chaos.get()) {
                    sleep(2000 + random.nextInt(3000));
                    HostProcess victim = hosts[random.nextInt(2)];
                    synchronized (victim) {
                        victim.kill9();
                        kills.incrementAndGet();
                        victim.launch();
                    }
                }
            }, "killer");
            killer.start();
            long end = System.nanoTime() + CHAOS.toNanos();
            while (System.nanoTime() < end && (acknowledgedMoves.get() < MOVES || kills.get() < KILLS)) {
                for (Map.Entry<String, Tally> entry : tallies.entrySet()) {
                    if (step(client, hosts, entry.getKey(), entry.getValue())) {
                        acknowledgedMoves.incrementAndGet();
                    }
                }
            }
            int moves = acknowledgedMoves.get();
            chaos.set(false);
            killer.join();

            // both hosts restart once more, then waiting hand-overs are resolved (arrivals ask after 10 s)
            for (HostProcess host : hosts) {
                host.kill9();
                host.launch();
            }
            for (Map.Entry<String, Tally> entry : tallies.entrySet()) {
                String id = entry.getKey();
                try {
                    HostProcess.awaitCondition(() -> places(client, hosts, id).size() == 1, Duration.ofSeconds(40),
                            "agent " + id + " to settle in exactly one place");
                } catch (AssertionError e) {
                    keepLogs(a);
                    keepLogs(b);
                    throw new AssertionError(e.getMessage() + "; it is at " + places(client, hosts, id) + "\n"
                            + files(a) + files(b) + events(client, a, id) + events(client, b, id), e);
                }
            }
            for (Map.Entry<String, Tally> entry : tallies.entrySet()) {
                String id = entry.getKey();
                List<String> places = places(client, hosts, id);
                assertEquals(1, places.size(), id + " lives in exactly one place: " + places);
                long count = ((Number) client.send(places.get(0), id, Message.of("count"), SendOptions.DEFAULT)).longValue();
                Tally tally = entry.getValue();
                assertTrue(count >= tally.acknowledged && count <= tally.acknowledged + tally.uncertain,
                        id + " counted " + count + " increments; acknowledged " + tally.acknowledged + ", uncertain "
                                + tally.uncertain);
            }
            assertTrue(kills.get() >= 3, "the hosts were killed " + kills.get() + " times");
            assertTrue(moves >= 4, "only " + moves + " dispatches were acknowledged");
        } finally {
            a.close();
            b.close();
        }
    }

    /**
     * One round for one agent: find it, make sure it rests inactive, store one increment for it,
     * and dispatch it to the other host (stored inactive there). Returns whether the dispatch
     * was acknowledged; any failure (a host being down) simply ends the round.
     */
    private static boolean step(HostClient client, HostProcess[] hosts, String id, Tally tally) {
        List<String> places;
        try {
            places = places(client, hosts, id);
        } catch (RuntimeException down) {
            return false;
        }
        if (places.size() != 1) {
            return false; // in flight, or a host is restarting
        }
        String here = places.get(0);
        String there = here.equals(hosts[0].url()) ? hosts[1].url() : hosts[0].url();
        try {
            if (client.agent(here, id).active()) {
                client.deactivate(here, id, null);
            }
        } catch (RuntimeException down) {
            return false;
        }
        try {
            Object reply = client.send(here, id, Message.of("incr"), new SendOptions(false, false, Duration.ofSeconds(10)));
            if (reply instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("queued"))) {
                tally.acknowledged++;
            } else {
                tally.uncertain++; // delivered to an active agent: not durable until stored
            }
        } catch (JagletException e) {
            tally.uncertain++;
            return false;
        }
        try {
            client.dispatch(here, id, TransferTicket.to(there).withTimeout(Duration.ofSeconds(3))
                    .withArrivalMode(ArrivalMode.INACTIVE));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The hosts that list the agent (an unreachable host counts as not listing it). */
    private static List<String> places(HostClient client, HostProcess[] hosts, String id) {
        List<String> places = new ArrayList<>();
        for (HostProcess host : hosts) {
            List<AgentSummary> agents;
            synchronized (host) {
                agents = client.agents(host.url(), AgentStatus.ALL);
            }
            if (agents.stream().anyMatch(s -> s.agentId().equals(id))) {
                places.add(host.url());
            }
        }
        return places;
    }

    /** Copies a host's log under target/, where it outlives the test's temporary folder. */
    private static void keepLogs(HostProcess host) {
        try {
            Path kept = Path.of("target", "fault-logs");
            java.nio.file.Files.createDirectories(kept);
            java.nio.file.Files.copy(host.log(), kept.resolve(host.log().getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            // the failure message still names the files
        }
    }

    /** The host's transfer and record files, for a failure message. */
    private static String files(HostProcess host) {
        try (var paths = java.nio.file.Files.walk(host.dataDir())) {
            return host.url() + ": " + paths.filter(p -> p.toString().contains("transfers") || p.toString().contains("inactive"))
                    .filter(java.nio.file.Files::isRegularFile).map(p -> host.dataDir().relativize(p).toString()).toList() + "\n";
        } catch (java.io.IOException e) {
            return host.url() + ": " + e + "\n";
        }
    }

    private static String events(HostClient client, HostProcess host, String id) {
        return host.url() + " events: " + client.events(host.url(), 0, 1000).stream().filter(e -> id.equals(e.agentId()))
                .map(e -> e.kind() + (e.data().isEmpty() ? "" : e.data().toString()) + (e.error() == null ? "" : "!" + e.error()))
                .toList() + "\n";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
