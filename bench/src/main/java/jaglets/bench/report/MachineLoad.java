package jaglets.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine is, as Linux's {@code /proc} tells it: load average, CPU pressure and
 * available memory. Each reads as unknown (a string "unknown" or -1) elsewhere.
 */
public final class MachineLoad {
    private MachineLoad() {
    }

    /** The 1, 5 and 15 minute load averages, as {@code /proc/loadavg} has them. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * Microseconds in which some runnable task waited for a CPU, summed since boot
     * ({@code /proc/pressure/cpu}); -1 where the kernel has no pressure information.
     */
    public static long cpuPressureMicros() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/pressure/cpu"))) {
                if (line.startsWith("some ")) {
                    return Long.parseLong(line.substring(line.indexOf("total=") + "total=".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // older kernel or not Linux
        }
        return -1;
    }

    /**
     * The share of {@code wallNanos} in which some task waited for a CPU, in percent, from two
     * readings of {@link #cpuPressureMicros()}; null when either is unknown.
     */
    public static Long pressurePercent(long beforeMicros, long afterMicros, long wallNanos) {
        return beforeMicros < 0 || afterMicros < 0 || wallNanos <= 0 ? null
                : Math.round((afterMicros - beforeMicros) * 1000.0 / wallNanos * 100);
    }

    /** {@code MemAvailable} of {@code /proc/meminfo} in MiB, or -1 when unreadable. */
    public static long memAvailableMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.substring("MemAvailable:".length()).trim().split("\\s+")[0]) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
