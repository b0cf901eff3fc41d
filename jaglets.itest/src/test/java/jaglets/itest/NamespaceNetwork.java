package jaglets.itest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private network made with {@code ip}: network namespaces, each joined to one bridge by a veth
 * pair, on a /24 of their own; the bridge has an address too, so this JVM reaches every host. A
 * host is cut off by taking its link down on the bridge side. Names carry this JVM's pid, so
 * runs side by side do not meet; closing removes everything, and leftovers of runs that died are
 * removed by the next one.
 */
final class NamespaceNetwork implements AutoCloseable {
    private static final String PREFIX = "jm";
    private static final Pattern OURS = Pattern.compile("^" + PREFIX + "(\\d+)(?:-\\d+|br|v\\d+)\\b");

    private final String id = PREFIX + ProcessHandle.current().pid();
    private final String subnet;
    private final int size;
    private final Thread cleanupOnExit = new Thread(this::removeAll, "netns-cleanup");

    private NamespaceNetwork(String subnet, int size) {
        this.subnet = subnet;
        this.size = size;
    }

    /** Builds a network of {@code size} namespaces, or skips the test where that is not allowed here. */
    static NamespaceNetwork createOrSkip(int size) {
        assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
        assumeTrue(ip("netns", "list").ok(), "`ip netns` is not available");
        removeLeftovers();
        NamespaceNetwork network = new NamespaceNetwork(freeSubnet(), size);
        Runtime.getRuntime().addShutdownHook(network.cleanupOnExit);
        try {
            network.build();
        } catch (RuntimeException e) {
            network.close();
            assumeTrue(false, "cannot build a namespace network here: " + e.getMessage());
        }
        return network;
    }

    private void build() {
        run("link", "add", bridge(), "type", "bridge", "mcast_snooping", "0");
        run("addr", "add", subnet + ".254/24", "dev", bridge());
        run("link", "set", bridge(), "up");
        for (int i = 0; i < size; i++) {
            run("netns", "add", namespace(i));
            run("link", "add", link(i), "type", "veth", "peer", "name", "eth0", "netns", namespace(i));
            run("link", "set", link(i), "master", bridge());
            run("link", "set", link(i), "up");
            run("-n", namespace(i), "addr", "add", address(i) + "/24", "dev", "eth0");
            run("-n", namespace(i), "link", "set", "eth0", "up");
            run("-n", namespace(i), "link", "set", "lo", "up");
        }
    }

    String namespace(int i) {
        return id + "-" + i;
    }

    String address(int i) {
        return subnet + "." + (i + 1);
    }

    /** The command prefix that runs a program inside namespace {@code i}. */
    List<String> exec(int i) {
        return List.of("ip", "netns", "exec", namespace(i));
    }

    /** Cuts namespace {@code i} off the bridge: nothing reaches it or leaves it. */
    void cut(int i) {
        run("link", "set", link(i), "down");
    }

    void heal(int i) {
        run("link", "set", link(i), "up");
    }

    private String bridge() {
        return id + "br";
    }

    /** The bridge-side end of namespace {@code i}'s veth pair. */
    private String link(int i) {
        return id + "v" + i;
    }

    @Override
    public void close() {
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down, and the hook runs anyway
        }
    }

    /** Deleting a namespace deletes its end of the veth pair, and with it the other end. */
    private void removeAll() {
        for (int i = 0; i < size; i++) {
            ip("netns", "del", namespace(i));
            ip("link", "del", link(i));
        }
        ip("link", "del", bridge());
    }

    /** Namespaces and links of earlier runs whose JVM is gone (killed before it could clean up). */
    private static void removeLeftovers() {
        for (String name : names(ip("netns", "list").out())) {
            if (deadRun(name)) {
                ip("netns", "del", name);
            }
        }
        for (String line : ip("-o", "link", "show").out().split("\n")) {
            String[] fields = line.split(":\\s+");
            if (fields.length > 1) {
                String name = fields[1].split("@")[0];
                if (deadRun(name)) {
                    ip("link", "del", name);
                }
            }
        }
    }

    private static List<String> names(String listing) {
        List<String> names = new ArrayList<>();
        for (String line : listing.split("\n")) {
            if (!line.isBlank()) {
                names.add(line.trim().split("\\s+")[0]);
            }
        }
        return names;
    }

    private static boolean deadRun(String name) {
        Matcher ours = OURS.matcher(name);
        return ours.find() && ProcessHandle.of(Long.parseLong(ours.group(1))).map(p -> !p.isAlive()).orElse(true);
    }

    /** A 10.x.y.0/24 no interface of this machine uses, picked from this JVM's pid. */
    private static String freeSubnet() {
        String used = (" " + ip("-4", "-o", "addr", "show").out() + "\n" + ip("-4", "route", "show").out())
                .replace('\n', ' ');
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; attempt < 250; attempt++) {
            String candidate = "10." + (200 + (pid / 250) % 50) + "." + ((pid + attempt) % 250);
            if (!used.contains(" " + candidate + ".")) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free 10.x.y.0/24 subnet");
    }

    private record Result(int status, String out) {
        boolean ok() {
            return status == 0;
        }
    }

    private static void run(String... args) {
        Result result = ip(args);
        if (!result.ok()) {
            throw new IllegalStateException("ip " + String.join(" ", args) + " failed: " + result.out().trim());
        }
    }

    private static Result ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, out + " (timed out)");
            }
            return new Result(process.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }
}
