package dev.cacheaside.agent.runtime;

/**
 * The audits of one rule over the last {@link #SPAN_MILLIS} and how many of them found a stale entry.
 *
 * <p>A lifetime ratio would never recover from a bad hour, and a ratio over the last N audits would
 * keep a rule that is rarely audited (or no longer audited, in shadow mode) at its worst figure for
 * ever; a span of time lets old audits age out. The span is kept in {@link #BUCKETS} steps of
 * {@link #BUCKET_MILLIS}, so an audit leaves the window between 4.5 and 5 minutes after it was made.
 * Audits are rare (a fraction of hits), so a lock is cheap enough.
 */
final class StaleWindow {

    static final int BUCKETS = 10;
    static final long BUCKET_MILLIS = 30_000;
    static final long SPAN_MILLIS = BUCKETS * BUCKET_MILLIS;

    /** The audits in the window and the stale ones among them. */
    static final class Counts {
        final int audits;
        final int stale;

        Counts(int audits, int stale) {
            this.audits = audits;
            this.stale = stale;
        }

        /** The share of stale audits, 0 while there are none. */
        double ratio() {
            return audits == 0 ? 0.0 : (double) stale / audits;
        }
    }

    /** The time step each bucket counts, or {@link Long#MIN_VALUE} for an empty bucket. */
    private final long[] steps = new long[BUCKETS];
    private final int[] audits = new int[BUCKETS];
    private final int[] stale = new int[BUCKETS];

    StaleWindow() {
        clear();
    }

    synchronized void record(boolean found, long nowMillis) {
        long step = Math.floorDiv(nowMillis, BUCKET_MILLIS);
        int bucket = (int) Math.floorMod(step, (long) BUCKETS);
        if (steps[bucket] != step) {
            steps[bucket] = step;
            audits[bucket] = 0;
            stale[bucket] = 0;
        }
        audits[bucket]++;
        if (found) {
            stale[bucket]++;
        }
    }

    synchronized Counts counts(long nowMillis) {
        long step = Math.floorDiv(nowMillis, BUCKET_MILLIS);
        int auditSum = 0;
        int staleSum = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            if (steps[bucket] != Long.MIN_VALUE && steps[bucket] > step - BUCKETS && steps[bucket] <= step) {
                auditSum += audits[bucket];
                staleSum += stale[bucket];
            }
        }
        return new Counts(auditSum, staleSum);
    }

    synchronized void clear() {
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            steps[bucket] = Long.MIN_VALUE;
            audits[bucket] = 0;
            stale[bucket] = 0;
        }
    }
}
