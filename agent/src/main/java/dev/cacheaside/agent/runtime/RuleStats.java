package dev.cacheaside.agent.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Counters of one rule, cheap enough for the hit path. */
public final class RuleStats {

    /** Monotonic milliseconds, for the stale-hit window. */
    private final LongSupplier clock;

    public RuleStats() {
        this(RuleStats::nowMillis);
    }

    RuleStats(LongSupplier clock) {
        this.clock = clock;
    }

    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder stores = new LongAdder();
    final LongAdder storeSkips = new LongAdder();
    final LongAdder evictions = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder bypassed = new LongAdder();
    /** Calls that ran uncached because no pooled connection was free in time: back-pressure, not an outage. */
    final LongAdder poolBusy = new LongAdder();
    final LongAdder auditMismatches = new LongAdder();
    /** Audits that compared the cached value with the method's result, stale or not. */
    final LongAdder audits = new LongAdder();
    /** The recent audits, for the stale-hit ratio; cleared by {@link #resume}. */
    private final StaleWindow staleWindow = new StaleWindow();
    /** Why the rule switched itself to shadow mode (too many stale hits), or null. */
    private volatile String shadowReason;
    /** When the last stale-ratio warning of on-stale = log was written, or {@link Long#MIN_VALUE}. */
    private long staleWarnedAt = Long.MIN_VALUE;
    final LongAdder voidedFills = new LongAdder();
    final LongAdder leaseWaitsExpired = new LongAdder();
    final LongAdder nearHits = new LongAdder();
    /** Entries replaced ahead of their end by a background run of the method. */
    final LongAdder refreshes = new LongAdder();
    /** Background refreshes whose method threw or whose value could not be stored. */
    final LongAdder refreshFailures = new LongAdder();
    /** Calls whose method threw and that got an expired value instead (stale-if-error). */
    final LongAdder staleServes = new LongAdder();
    /** Bulk calls that found some of their ids cached and ran the method for the rest. */
    final LongAdder bulkPartialHits = new LongAdder();
    private final LongAdder redisErrors = new LongAdder();
    private final LongAdder keyErrors = new LongAdder();
    private final LongAdder valueErrors = new LongAdder();
    /** Calls that ran uncached because the rule had turned itself off for their method. */
    final LongAdder offCalls = new LongAdder();
    /** Why the rule turned itself off, or null while it is on; see {@link #turnOff}. */
    private volatile String offReason;
    /** The newest rule version that turned it back on: a call of an older binding cannot turn it off again. */
    private volatile int onSinceVersion;

    /**
     * Records that the rule turned itself off for a method of a binding of this version (a value that does
     * not round-trip); the first reason is kept until {@link #resume}.
     */
    synchronized void turnOff(int version, String reason) {
        if (version >= onSinceVersion && offReason == null) {
            offReason = reason;
        }
    }

    /** New rules of this version are in force: every binding starts on again, with a fresh stale-hit window. */
    public synchronized void resume(int version) {
        onSinceVersion = version;
        offReason = null;
        shadowReason = null;
        staleWarnedAt = Long.MIN_VALUE;
        staleWindow.clear();
    }

    /** Counts a completed audit; returns the window's counts after it. */
    StaleWindow.Counts recordAudit(boolean stale) {
        long nowMillis = clock.getAsLong();
        audits.increment();
        if (stale) {
            auditMismatches.increment();
        }
        staleWindow.record(stale, nowMillis);
        return staleWindow.counts(nowMillis);
    }

    /**
     * Records that the rule switched itself to shadow mode, decided under rules of this version; false
     * when a newer config has been applied since, or it already was in shadow mode.
     */
    synchronized boolean shadow(int version, String reason) {
        if (version < onSinceVersion || shadowReason != null) {
            return false;
        }
        shadowReason = reason;
        return true;
    }

    /** Whether a warning of on-stale = log is due: none yet since the last reload, or the last one a window ago. */
    synchronized boolean staleWarningDue() {
        long nowMillis = clock.getAsLong();
        if (staleWarnedAt != Long.MIN_VALUE && nowMillis - staleWarnedAt < StaleWindow.SPAN_MILLIS) {
            return false;
        }
        staleWarnedAt = nowMillis;
        return true;
    }

    /** Why the rule switched itself to shadow mode, or null while it has not. */
    public String shadowReason() {
        return shadowReason;
    }

    /** Audits completed since start. */
    public long audits() {
        return audits.sum();
    }

    /** Audits within the stale-hit window (the last 5 minutes). */
    public int windowAudits() {
        return staleWindow.counts(clock.getAsLong()).audits;
    }

    /** Stale entries found by the audits within the window; see {@link #windowAudits()}. */
    public int windowStale() {
        return staleWindow.counts(clock.getAsLong()).stale;
    }

    /** The share of the window's audits that found a stale entry; 0 while there are none. */
    public double staleRatio() {
        return staleWindow.counts(clock.getAsLong()).ratio();
    }

    private static long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    /** Why the rule turned itself off for (one of) its methods, or null while it is on. */
    public String offReason() {
        return offReason;
    }

    /**
     * "off" once the rule turned itself off for one of its methods, "shadow" once it switched itself to
     * shadow mode for its stale hits, else "on".
     */
    public String state() {
        return offReason != null ? "off" : shadowReason != null ? "shadow" : "on";
    }

    public long offCalls() {
        return offCalls.sum();
    }

    /** Kinds of error, each also counted in {@link #errors()}. */
    enum ErrorKind {
        /** Redis answered a command with an error (not unavailability, which counts as bypassed). */
        REDIS,
        /** A key could not be rendered: a property path that does not resolve, an argument not writable. */
        KEY,
        /** A value could not be read (too large, wrong shape) or written (no JSON for its type). */
        VALUE
    }

    void error(ErrorKind kind) {
        errors.increment();
        switch (kind) {
            case REDIS:
                redisErrors.increment();
                break;
            case KEY:
                keyErrors.increment();
                break;
            default:
                valueErrors.increment();
        }
    }

    public long redisErrors() {
        return redisErrors.sum();
    }

    public long keyErrors() {
        return keyErrors.sum();
    }

    public long valueErrors() {
        return valueErrors.sum();
    }
    /** From entering a cached method to having the value of a hit: the lookup and decoding. */
    final LatencyHistogram hitLatency = new LatencyHistogram();
    /** The method's own time on a miss. */
    final LatencyHistogram methodLatency = new LatencyHistogram();

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public long stores() {
        return stores.sum();
    }

    /** Results not stored: null without cache-nulls, too large, or not writable as JSON. */
    public long storeSkips() {
        return storeSkips.sum();
    }

    public long evictions() {
        return evictions.sum();
    }

    public long errors() {
        return errors.sum();
    }

    /** Calls that ran uncached because Redis was unavailable. */
    public long bypassed() {
        return bypassed.sum();
    }

    /** Calls that ran uncached because every pooled connection was in use, or the client was still being made. */
    public long poolBusy() {
        return poolBusy.sum();
    }

    public long auditMismatches() {
        return auditMismatches.sum();
    }

    /** Fills not stored because an eviction voided their lease while the method ran: stale data prevented. */
    public long voidedFills() {
        return voidedFills.sum();
    }

    /** Calls that waited for another caller's fill in vain and ran the method themselves, uncached. */
    public long leaseWaitsExpired() {
        return leaseWaitsExpired.sum();
    }

    /** Hits served from the JVM's own near cache, without Redis. */
    public long refreshes() {
        return refreshes.sum();
    }

    public long refreshFailures() {
        return refreshFailures.sum();
    }

    public long staleServes() {
        return staleServes.sum();
    }

    public long bulkPartialHits() {
        return bulkPartialHits.sum();
    }

    public long nearHits() {
        return nearHits.sum();
    }

    public LatencyHistogram hitLatency() {
        return hitLatency;
    }

    public LatencyHistogram methodLatency() {
        return methodLatency;
    }

    public double hitRatio() {
        long hitCount = hits();
        long total = hitCount + misses();
        return total == 0 ? 0.0 : (double) hitCount / total;
    }

    /** The summary of an evict rule, which has no hits or misses. */
    public String evictSummary() {
        return "evictions=" + evictions() + " errors=" + errors() + " (redis " + redisErrors() + ", key "
                + keyErrors() + ") bypassed=" + bypassed() + " pool-busy=" + poolBusy();
    }

    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "hits=%d near-hits=%d misses=%d hit-ratio=%.1f%% stores=%d store-skips=%d voided-fills=%d lease-waits-expired=%d"
                        + " errors=%d (redis %d, key %d, value %d) bypassed=%d audit-mismatches=%d pool-busy=%d",
                hits(), nearHits(), misses(), hitRatio() * 100, stores(), storeSkips(), voidedFills(), leaseWaitsExpired(),
                errors(), redisErrors(), keyErrors(), valueErrors(), bypassed(), auditMismatches(), poolBusy())
                + (refreshes() + refreshFailures() + staleServes() == 0 ? ""
                : " refreshes=" + refreshes() + " refresh-failures=" + refreshFailures() + " stale-serves=" + staleServes())
                + (bulkPartialHits() == 0 ? "" : " bulk-partial-hits=" + bulkPartialHits())
                + (audits() == 0 ? "" : auditSummary());
    }

    private String auditSummary() {
        StaleWindow.Counts recent = staleWindow.counts(clock.getAsLong());
        return String.format(java.util.Locale.ROOT, " audits=%d stale-ratio=%.1f%% (%d of %d audits in the last %d min)",
                audits(), recent.ratio() * 100, recent.stale, recent.audits,
                TimeUnit.MILLISECONDS.toMinutes(StaleWindow.SPAN_MILLIS))
                + (shadowReason == null ? "" : " state=shadow (too many stale hits, until the config is reloaded)");
    }
}
