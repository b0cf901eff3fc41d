package jaglets.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void percentilesUseTheNearestRank() {
        Samples samples = new Samples();
        for (int i = 100; i >= 1; i--) {
            samples.add(i * 1_000_000L);
        }
        assertEquals(50.0, samples.percentileMillis(50));
        assertEquals(99.0, samples.percentileMillis(99));
        assertEquals(100.0, samples.percentileMillis(100));
        assertEquals(1.0, samples.minMillis());
        assertEquals(50.5, samples.meanMillis());
    }

    @Test
    void p99OfFewSamplesIsTheLargest() {
        Samples samples = new Samples();
        samples.add(3_000_000);
        samples.add(1_000_000);
        samples.add(2_000_000);
        assertEquals(2.0, samples.percentileMillis(50));
        assertEquals(3.0, samples.percentileMillis(99));
    }

    @Test
    void summaryIsInMillisecondsRoundedToATenthOfAMicrosecond() {
        Samples samples = new Samples();
        samples.add(123_456);
        Map<String, Object> summary = samples.summary();
        assertEquals(1, summary.get("n"));
        assertEquals(0.1235, summary.get("p50_ms"));
    }

    @Test
    void samplesOfSeveralThreadsAddUpInOrder() {
        Samples first = new Samples();
        first.add(1_000_000);
        Samples second = new Samples();
        for (int i = 2; i <= 100; i++) {
            second.add(i * 1_000_000L);
        }
        first.addAll(second);
        assertEquals(100, first.count());
        assertEquals(99.0, first.percentileMillis(99));
        assertEquals(1_000_000, first.valueNanos(0));
        assertEquals(2_000_000, first.valueNanos(1));
        assertThrows(IndexOutOfBoundsException.class, () -> first.valueNanos(100));
    }

    @Test
    void anEmptySetHasNoPercentile() {
        assertThrows(IllegalStateException.class, () -> new Samples().percentileMillis(50));
        assertEquals(Map.of("n", 0), new Samples().summary());
    }
}
