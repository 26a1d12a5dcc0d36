package dev.cacheaside.agent.metrics;

/** One rule's counters, as JConsole and VisualVM show them. Latencies are in microseconds. */
public interface RuleMXBean {

    String getKind();

    String getMethod();

    /** What else the rule says: key and TTL of a cache rule, keys and caches of an evict rule. */
    String getDefinition();

    /** Whether hits, misses and latencies are counted ({@code metrics = true}). */
    boolean isMetrics();

    /**
     * "on"; "off" once the rule turned itself off for a method (a value that does not round-trip); "shadow"
     * once it switched itself to shadow mode for too many stale hits (on-stale = shadow).
     */
    String getState();

    /** Why the rule switched itself to shadow mode; empty unless {@link #getState()} is "shadow". */
    String getShadowReason();

    /** Why the rule turned itself off; empty while it is on. */
    String getOffReason();

    /** Calls that ran uncached because the rule had turned itself off for their method. */
    long getOffCalls();

    long getHits();

    long getMisses();

    /** Hits served from the JVM's near cache, part of {@link #getHits()}. */
    long getNearHits();

    double getHitRatio();

    long getStores();

    long getStoreSkips();

    long getEvictions();

    long getErrors();

    /** Errors Redis answered with, part of {@link #getErrors()}. */
    long getRedisErrors();

    /** Keys that could not be rendered, part of {@link #getErrors()}. */
    long getKeyErrors();

    /** Values that could not be read or written, part of {@link #getErrors()}. */
    long getValueErrors();

    long getBypassed();

    /** Calls that ran uncached because every pooled connection was in use (back-pressure, not an outage). */
    long getPoolBusy();

    long getAuditMismatches();

    /** Audits completed: hits whose cached value was compared with the method's result. */
    long getAudits();

    /** Audits in the last 5 minutes, the window of {@link #getStaleRatio()}. */
    int getWindowAudits();

    /** The share of the last 5 minutes' audits that found a stale entry, 0 to 1; 0 without audits. */
    double getStaleRatio();

    long getVoidedFills();

    /** Entries replaced in the background before their TTL ended (refresh-ahead). */
    long getRefreshes();

    /** Background refreshes that failed: the method threw, or its value could not be stored. */
    long getRefreshFailures();

    /** Calls whose method threw and that were answered with an expired entry (stale-if-error). */
    long getStaleServes();

    /** Bulk calls that found some ids cached and ran the method for the others only. */
    long getBulkPartialHits();

    double getHitLatencyP50Micros();

    double getHitLatencyP99Micros();

    double getMethodLatencyP50Micros();

    double getMethodLatencyP99Micros();
}
