package jaglets.bench.report;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency samples in nanoseconds, summarised in milliseconds. Percentiles use the nearest-rank
 * method, so p99 of fewer than 100 samples is the largest one.
 */
public final class Samples {
    private long[] values = new long[64];
    private int size;

    public void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    /** Adds every sample of {@code other}. */
    public void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    /** The {@code index}-th sample added, in nanoseconds. */
    public long valueNanos(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return values[index];
    }

    public int count() {
        return size;
    }

    /** The nearest-rank percentile {@code p} (0 < p ≤ 100) in milliseconds. */
    public double percentileMillis(double p) {
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile " + p + " is outside (0, 100]");
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return toMillis(sorted[Math.max(rank, 1) - 1]);
    }

    public double meanMillis() {
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i];
        }
        return toMillis(sum / size);
    }

    public double minMillis() {
        return toMillis(Arrays.stream(values, 0, size).min().orElseThrow());
    }

    public double maxMillis() {
        return toMillis(Arrays.stream(values, 0, size).max().orElseThrow());
    }

    /** {@code n, p50_ms, p99_ms, min_ms, mean_ms, max_ms}, rounded to microseconds or finer. */
    public Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("n", size);
        if (size > 0) {
            summary.put("p50_ms", round(percentileMillis(50)));
            summary.put("p99_ms", round(percentileMillis(99)));
            summary.put("min_ms", round(minMillis()));
            summary.put("mean_ms", round(meanMillis()));
            summary.put("max_ms", round(maxMillis()));
        }
        return summary;
    }

    private static double toMillis(double nanos) {
        return nanos / 1_000_000.0;
    }

    /** Four decimals: a tenth of a microsecond, enough for in-process round trips. */
    public static double round(double millis) {
        return Math.round(millis * 10_000.0) / 10_000.0;
    }
}
