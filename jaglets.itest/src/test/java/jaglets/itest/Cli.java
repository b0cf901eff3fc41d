package jaglets.itest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code ./jaglets} launcher at the reactor's root, run as an operator runs it. It uses
 * the jars this build made ({@code JAGLETS_SKIP_BUILD=1}: a test never starts a Maven build), and
 * none of the caller's jaglets environment variables leak into it.
 */
final class Cli {
    private static final long TIMEOUT_SECONDS = 90;

    /** What one command printed and its exit status. */
    record Result(int status, String out, String err) {
        JsonNode json() {
            try {
                return HostProcess.JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + err);
            }
        }

        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    private Cli() {
    }

    static Path launcher() {
        return Path.of(System.getProperty("jaglets.reactor", "..")).resolve("jaglets").toAbsolutePath().normalize();
    }

    /** Runs {@code ./jaglets ARGS} with these environment variables and waits for it. */
    static Result run(Map<String, String> environment, String... args) {
        try {
            Path out = Files.createTempFile("jaglets-cli-", ".out");
            Path err = Files.createTempFile("jaglets-cli-", ".err");
            try {
                Process process = builder(environment, args).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("jaglets " + String.join(" ", args) + " did not end within "
                            + TIMEOUT_SECONDS + " s");
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code ./jaglets ARGS} without waiting; its output goes to {@code log}. */
    static Process start(Map<String, String> environment, Path log, String... args) {
        try {
            return builder(environment, args).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProcessBuilder builder(Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("JAGLETS_"));
        env.put("JAGLETS_SKIP_BUILD", "1");
        env.putAll(environment);
        return builder;
    }
}
