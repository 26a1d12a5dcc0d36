package dev.cacheaside.agent.config;

import java.time.Duration;

/** One named cache rule, with every default already applied. */
public final class CacheRule {

    private final String name;
    private final MethodSpec method;
    private final KeyTemplate key;
    private final Duration ttl;
    private final double ttlJitter;
    private final boolean cacheNulls;
    private final long maxValueSize;
    private final CacheMode mode;
    private final double auditRate;
    private final NearCacheSettings nearCache;
    private final LeaseSettings lease;
    private final boolean metrics;
    private final FreshnessSettings freshness;
    private final BulkSettings bulk;
    private final StaleLimit staleLimit;
    private final String origin;

    CacheRule(String name, MethodSpec method, KeyTemplate key, Duration ttl, double ttlJitter, boolean cacheNulls,
              long maxValueSize, CacheMode mode, double auditRate, NearCacheSettings nearCache, LeaseSettings lease,
              boolean metrics, FreshnessSettings freshness, BulkSettings bulk, StaleLimit staleLimit, String origin) {
        this.staleLimit = staleLimit;
        this.freshness = freshness;
        this.bulk = bulk;
        this.name = name;
        this.method = method;
        this.key = key;
        this.ttl = ttl;
        this.ttlJitter = ttlJitter;
        this.cacheNulls = cacheNulls;
        this.maxValueSize = maxValueSize;
        this.mode = mode;
        this.auditRate = auditRate;
        this.nearCache = nearCache;
        this.lease = lease;
        this.metrics = metrics;
        this.origin = origin;
    }

    public String name() {
        return name;
    }

    public MethodSpec method() {
        return method;
    }

    public KeyTemplate key() {
        return key;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Fraction of the TTL by which each entry's TTL may differ, 0 to 1. */
    public double ttlJitter() {
        return ttlJitter;
    }

    public boolean cacheNulls() {
        return cacheNulls;
    }

    public long maxValueSize() {
        return maxValueSize;
    }

    public CacheMode mode() {
        return mode;
    }

    public double auditRate() {
        return auditRate;
    }

    public NearCacheSettings nearCache() {
        return nearCache;
    }

    /** How fills of this rule are guarded; {@link LeaseSettings#enabled()} false for plain stores. */
    public LeaseSettings lease() {
        return lease;
    }

    /** Whether hits, misses and latencies of this rule are counted; the rare events always are. */
    public boolean metrics() {
        return metrics;
    }

    /** Refresh-ahead and stale-if-error. */
    public FreshnessSettings freshness() {
        return freshness;
    }

    /** The bulk reading of this rule, or null for a rule of single calls. */
    public BulkSettings bulk() {
        return bulk;
    }

    /** The limit on stale audited hits, or null when {@code max-stale-ratio = none}. */
    public StaleLimit staleLimit() {
        return staleLimit;
    }

    /** This rule in another mode: how the agent shadows a rule whose audits found too many stale hits. */
    public CacheRule withMode(CacheMode otherMode) {
        return new CacheRule(name, method, key, ttl, ttlJitter, cacheNulls, maxValueSize, otherMode, auditRate,
                nearCache, lease, metrics, freshness, bulk, staleLimit, origin);
    }

    /** Where the rule is written, as "file: line". */
    public String origin() {
        return origin;
    }
}
