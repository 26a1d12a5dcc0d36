package dev.cacheaside.agent.runtime;

import java.util.concurrent.atomic.LongAdder;

/**
 * Latencies in log-linear buckets: four per power of two, so any percentile is off by at most 19%,
 * and recording is one leading-zero count and one {@link LongAdder} increment, cheap enough for the
 * hit path. Covers 1 ns to about 2^40 ns (18 minutes); longer times land in the last bucket.
 */
public final class LatencyHistogram {

    private static final int SUB_BUCKET_BITS = 2;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int MAX_POWER = 40;
    private static final int BUCKETS = (MAX_POWER + 1) * SUB_BUCKETS;

    private final LongAdder[] counts = new LongAdder[BUCKETS];
    private final LongAdder totalNanos = new LongAdder();

    LatencyHistogram() {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        long positive = Math.max(1, nanos);
        counts[index(positive)].increment();
        totalNanos.add(positive);
    }

    static int index(long nanos) {
        int power = 63 - Long.numberOfLeadingZeros(nanos);
        if (power < SUB_BUCKET_BITS) {
            return (int) nanos;
        }
        if (power > MAX_POWER) {
            return BUCKETS - 1;
        }
        int sub = (int) (nanos >>> (power - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
        return power * SUB_BUCKETS + sub;
    }

    /** The upper bound, in nanoseconds, of the bucket an index stands for. */
    static long upperBound(int index) {
        int power = index / SUB_BUCKETS;
        int sub = index % SUB_BUCKETS;
        if (power < SUB_BUCKET_BITS) {
            return index;
        }
        long base = 1L << power;
        return base + ((sub + 1) * (base >>> SUB_BUCKET_BITS)) - 1;
    }

    public long count() {
        long total = 0;
        for (LongAdder count : counts) {
            total += count.sum();
        }
        return total;
    }

    /** The sum of all recorded latencies, in nanoseconds: a Prometheus summary's {@code _sum}. */
    public long totalNanos() {
        return totalNanos.sum();
    }

    /** The latency below which {@code fraction} of the recorded ones fall, in nanoseconds; 0 when empty. */
    public long percentile(double fraction) {
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts[i].sum();
            total += snapshot[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(BUCKETS - 1);
    }
}
