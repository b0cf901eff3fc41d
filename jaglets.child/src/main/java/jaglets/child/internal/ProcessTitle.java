package jaglets.child.internal;

import java.io.IOException;
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

    /** Where the value is in this process's memory and how long it may be; found once. */
    private record Slot(long address, int length, String shown) {
    }

    private static volatile Slot found;

    private ProcessTitle() {
    }

    /**
     * Finds where the command line holds the value and writes that value back over itself:
     * nothing changes for {@code ps}, but the place is known and the write's code has run, so
     * {@link #showAgentId} later costs one small write. A pool child does this in its warm-up
     * (and the training run, which archives the classes): found cold, while an agent is being
     * created, the place cost the child milliseconds of CPU that the creation waited for.
     */
    static boolean rehearse() {
        Slot slot = slot();
        return slot != null && write(slot, slot.shown());
    }

    /** Returns whether the command line now shows {@code agentId}. */
    static boolean showAgentId(String agentId) {
        Slot slot = slot();
        if (slot == null || agentId.length() > slot.length()) {
            return false;
        }
        return agentId.equals(slot.shown()) || write(slot, agentId);
    }

    /** Whether showing an id costs only the write (the place is known): then it can be done at once. */
    static boolean ready() {
        return found != null;
    }

    private static Slot slot() {
        Slot slot = found;
        if (slot == null) {
            slot = find();
            found = slot;
        }
        return slot;
    }

    private static Slot find() {
        try {
            Path cmdline = Path.of("/proc/self/cmdline");
            if (!Files.exists(cmdline)) {
                return null;
            }
            String args = new String(Files.readAllBytes(cmdline), StandardCharsets.ISO_8859_1);
            int start = args.indexOf(KEY);
            if (start < 0) {
                return null;
            }
            start += KEY.length();
            int end = args.indexOf('\0', start);
            if (end < 0) {
                return null;
            }
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long argStart = Long.parseLong(fields[45]); // field 48 of proc(5), counted from field 3
            return new Slot(argStart + start, end - start, args.substring(start, end));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean write(Slot slot, String value) {
        byte[] replacement = new byte[slot.length()]; // the rest stays NUL
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(bytes, 0, replacement, 0, bytes.length);
        try (RandomAccessFile memory = new RandomAccessFile("/proc/self/mem", "rw")) {
            memory.seek(slot.address());
            memory.write(replacement);
            found = new Slot(slot.address(), slot.length(), value);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
