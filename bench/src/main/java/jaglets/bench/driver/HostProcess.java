package jaglets.bench.driver;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One benchmark host: {@code java -D... -jar bench.jar}. Its stdout (the scenarios' progress)
 * is shown prefixed with the phase; its stderr (the host log) goes to a file and is watched for
 * one line, whose arrival time is kept. Closing it ends the process and every process it
 * started.
 */
final class HostProcess implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Process process;
    private final long startNanos;
    private final Pattern watched;
    private final List<Thread> pumps = new ArrayList<>();
    private volatile long watchedNanos = -1;
    private volatile Matcher watchedMatch;

    private HostProcess(Process process, long startNanos, Pattern watched) {
        this.process = process;
        this.startNanos = startNanos;
        this.watched = watched;
    }

    /**
     * @param watched a stderr line to time from the process start, or {@code null}
     */
    static HostProcess start(String phase, Path java, Path benchJar, Map<String, String> properties, Path log,
                             Pattern watched) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(benchJar.toString());
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        long start = System.nanoTime();
        Process process = builder.start();
        process.getOutputStream().close(); // nothing reads stdin; the shell runs with --nointeractive
        HostProcess host = new HostProcess(process, start, watched);
        String prefix = "  [" + phase + "] ";
        host.pump("out", process.getInputStream(), line -> System.out.println(prefix + line), null);
        BufferedWriter logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        host.pump("log", process.getErrorStream(), line -> host.log(logWriter, line), logWriter);
        return host;
    }

    /** A loopback port nothing listens on right now (another process may still take it before a host binds it). */
    static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** Hands every line to {@code sink}; closes {@code sinkResource} at the end of the stream. */
    private void pump(String name, InputStream stream, Consumer<String> sink, Closeable sinkResource) {
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException | UncheckedIOException e) {
                // the process ended, or its log could not be written: the figures do not depend on it
            } finally {
                closeQuietly(sinkResource);
            }
        }, "bench-host-" + process.pid() + "-" + name);
        pump.setDaemon(true);
        pump.start();
        pumps.add(pump);
    }

    private void log(BufferedWriter writer, String line) {
        if (watchedNanos < 0 && watched != null) {
            Matcher match = watched.matcher(line);
            if (match.find()) {
                watchedNanos = System.nanoTime();
                watchedMatch = match;
            }
        }
        try {
            writer.write(line);
            writer.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(Closeable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (IOException e) {
            System.err.println("bench: could not close a host log: " + e);
        }
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    double secondsSinceStart() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Seconds from the process start to the watched line, or -1 if it never came. */
    double secondsToWatchedLine() {
        return watchedNanos < 0 ? -1 : (watchedNanos - startNanos) / 1e9;
    }

    /** When the watched line came ({@link System#nanoTime()}), or -1 if it has not. */
    long watchedAtNanos() {
        return watchedNanos;
    }

    Matcher watchedMatch() {
        return watchedMatch;
    }

    /** Waits for the process to exit; past {@code timeout} it is ended and false returned. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            stop();
        }
        for (Thread pump : pumps) {
            pump.join(TimeUnit.SECONDS.toMillis(5));
        }
        return exited;
    }

    boolean alive() {
        return process.isAlive();
    }

    int exitCode() {
        return process.exitValue();
    }

    /** Kills the host with SIGKILL, as a crash would, and returns once it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks the host to stop (it stores its agents), then kills it and whatever it started. */
    void stop() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
