package dev.cacheaside.agent.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

    @Test
    void percentile_empty_isZero() {
        assertEquals(0, new LatencyHistogram().percentile(0.99));
    }

    @Test
    void percentile_withinABucketOfTheTruth() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long micros = 1; micros <= 1000; micros++) {
            histogram.record(micros * 1000);
        }

        long p50 = histogram.percentile(0.50);
        long p99 = histogram.percentile(0.99);

        assertEquals(1000, histogram.count());
        assertTrue(p50 >= 500_000 && p50 <= 500_000 * 1.19, "p50 " + p50);
        assertTrue(p99 >= 990_000 && p99 <= 990_000 * 1.19, "p99 " + p99);
    }

    @Test
    void index_isMonotonic_andBoundsContainTheirValues() {
        int previous = 0;
        for (long nanos = 1; nanos < 1L << 41; nanos = nanos * 3 / 2 + 1) {
            int index = LatencyHistogram.index(nanos);
            assertTrue(index >= previous, "monotonic at " + nanos);
            assertTrue(LatencyHistogram.upperBound(index) >= nanos || nanos > 1L << 40, "bound at " + nanos);
            previous = index;
        }
    }
}
