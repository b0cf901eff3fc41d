package jaglets.child.internal;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts the agent id into this JVM's command line so that {@code ps} shows
 * {@code -Djaglets.agent.id=<id>} for a child taken from the warm pool, which was started
 * before its agent was known. Pool children are started with a padded placeholder value; the
 * id is written over it in place (Linux: {@code /proc/self/mem} at the command line's address).
 */
final class ProcessTitle {
    static final String KEY = "-Djaglets.agent.id=";

    private ProcessTitle() {
    }

    /** Returns whether the command line now shows {@code agentId}. */
    static boolean showAgentId(String agentId) {
        try {
            Path cmdline = Path.of("/proc/self/cmdline");
            if (!Files.exists(cmdline)) {
                return false;
            }
            String args = new String(Files.readAllBytes(cmdline), StandardCharsets.ISO_8859_1);
            int start = args.indexOf(KEY);
            if (start < 0) {
                return false;
            }
            start += KEY.length();
            int end = args.indexOf('\0', start);
            byte[] id = agentId.getBytes(StandardCharsets.ISO_8859_1);
            if (end < 0 || id.length > end - start) {
                return false;
            }
            if (args.substring(start, end).equals(agentId)) {
                return true;
            }
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long argStart = Long.parseLong(fields[45]); // field 48 of proc(5), counted from field 3
            byte[] replacement = new byte[end - start]; // the rest stays NUL
            System.arraycopy(id, 0, replacement, 0, id.length);
            try (RandomAccessFile memory = new RandomAccessFile("/proc/self/mem", "rw")) {
                memory.seek(argStart + start);
                memory.write(replacement);
            }
            return true;
        } catch (Exception | LinkageError e) {
            return false;
        }
    }
}
