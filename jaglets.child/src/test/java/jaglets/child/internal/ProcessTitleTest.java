package jaglets.child.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The agent id written into a JVM's own command line, in a JVM started with the pool's placeholder. */
class ProcessTitleTest {
    private static final Path CMDLINE = Path.of("/proc/self/cmdline");

    /** Runs in the JVM a test starts: shows an id (after a rehearsal, with "rehearsed") and prints what it saw. */
    public static void main(String[] args) throws IOException {
        String before = Files.readString(CMDLINE, StandardCharsets.ISO_8859_1);
        boolean rehearse = args.length > 0 && args[0].equals("rehearsed");
        boolean rehearsed = !rehearse || ProcessTitle.rehearse();
        boolean unchanged = before.equals(Files.readString(CMDLINE, StandardCharsets.ISO_8859_1));
        boolean ready = ProcessTitle.ready() == rehearse;
        boolean shown = ProcessTitle.showAgentId("agent-7");
        boolean visible = Files.readString(CMDLINE, StandardCharsets.ISO_8859_1).contains(ProcessTitle.KEY + "agent-7\0");
        System.out.println(rehearsed + " " + unchanged + " " + ready + " " + shown + " " + visible);
    }

    @Test
    void rehearsingChangesNothingAndTheAgentIdIsShownAfterIt() throws Exception {
        assertEquals("true true true true true", runWithPlaceholder("rehearsed"),
                "rehearsed, command line unchanged by it, place known, id shown, id visible");
    }

    @Test
    void aChildThatDidNotRehearseShowsTheAgentIdToo() throws Exception {
        assertEquals("true true true true true", runWithPlaceholder("cold"), "place unknown until the id is shown");
    }

    private static String runWithPlaceholder(String mode) throws Exception {
        assumeTrue(Files.exists(CMDLINE), "needs /proc");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(java, ProcessTitle.KEY + "pooled" + "_".repeat(40), "-cp",
                System.getProperty("java.class.path"), ProcessTitleTest.class.getName(), mode)
                .redirectErrorStream(true).start();
        String printed = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(jvm.waitFor(60, TimeUnit.SECONDS));
        return printed;
    }
}
