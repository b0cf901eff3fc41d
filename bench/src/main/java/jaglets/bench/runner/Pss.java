package jaglets.bench.runner;

import jaglets.bench.report.MachineLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory figures from {@code /proc} (Linux). PSS charges each shared page to the processes
 * sharing it in equal parts, so the PSS of many children adds up to what they really use.
 */
final class Pss {
    private Pss() {
    }

    /** The {@code Pss:} line of {@code /proc/<pid>/smaps_rollup} in KiB, or -1 when unreadable. */
    static long ofProcessKiB(long pid) {
        return field(Path.of("/proc", String.valueOf(pid), "smaps_rollup"), "Pss:");
    }

    /** {@code MemAvailable} of {@code /proc/meminfo} in MiB, or -1 when unreadable. */
    static long memAvailableMiB() {
        return MachineLoad.memAvailableMiB();
    }

    private static long field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone or this is not Linux: the caller reports the figure as missing
        }
        return -1;
    }
}
