package dev.cacheaside.agent.metrics;

import dev.cacheaside.agent.runtime.RuleStats;

/** The MBean of one rule: reads its live counters on every attribute access. */
final class RuleMetrics implements RuleMXBean {

    private final String kind;
    private final String method;
    private final String definition;
    private final boolean metrics;
    private final RuleStats stats;

    RuleMetrics(String kind, String method, String definition, boolean metrics, RuleStats stats) {
        this.kind = kind;
        this.method = method;
        this.definition = definition;
        this.metrics = metrics;
        this.stats = stats;
    }

    @Override
    public String getDefinition() {
        return definition;
    }

    @Override
    public boolean isMetrics() {
        return metrics;
    }

    @Override
    public String getState() {
        return stats.state();
    }

    @Override
    public String getOffReason() {
        String reason = stats.offReason();
        return reason == null ? "" : reason;
    }

    @Override
    public String getShadowReason() {
        String reason = stats.shadowReason();
        return reason == null ? "" : reason;
    }

    @Override
    public long getAudits() {
        return stats.audits();
    }

    @Override
    public int getWindowAudits() {
        return stats.windowAudits();
    }

    @Override
    public double getStaleRatio() {
        return stats.staleRatio();
    }

    @Override
    public long getOffCalls() {
        return stats.offCalls();
    }

    @Override
    public String getKind() {
        return kind;
    }

    @Override
    public String getMethod() {
        return method;
    }

    @Override
    public long getHits() {
        return stats.hits();
    }

    @Override
    public long getMisses() {
        return stats.misses();
    }

    @Override
    public long getNearHits() {
        return stats.nearHits();
    }

    @Override
    public double getHitRatio() {
        return stats.hitRatio();
    }

    @Override
    public long getStores() {
        return stats.stores();
    }

    @Override
    public long getStoreSkips() {
        return stats.storeSkips();
    }

    @Override
    public long getEvictions() {
        return stats.evictions();
    }

    @Override
    public long getErrors() {
        return stats.errors();
    }

    @Override
    public long getRedisErrors() {
        return stats.redisErrors();
    }

    @Override
    public long getKeyErrors() {
        return stats.keyErrors();
    }

    @Override
    public long getValueErrors() {
        return stats.valueErrors();
    }

    @Override
    public long getBypassed() {
        return stats.bypassed();
    }

    @Override
    public long getPoolBusy() {
        return stats.poolBusy();
    }

    @Override
    public long getAuditMismatches() {
        return stats.auditMismatches();
    }

    @Override
    public long getRefreshes() {
        return stats.refreshes();
    }

    @Override
    public long getRefreshFailures() {
        return stats.refreshFailures();
    }

    @Override
    public long getBulkPartialHits() {
        return stats.bulkPartialHits();
    }

    @Override
    public long getStaleServes() {
        return stats.staleServes();
    }

    @Override
    public long getVoidedFills() {
        return stats.voidedFills();
    }

    @Override
    public double getHitLatencyP50Micros() {
        return stats.hitLatency().percentile(0.50) / 1000.0;
    }

    @Override
    public double getHitLatencyP99Micros() {
        return stats.hitLatency().percentile(0.99) / 1000.0;
    }

    @Override
    public double getMethodLatencyP50Micros() {
        return stats.methodLatency().percentile(0.50) / 1000.0;
    }

    @Override
    public double getMethodLatencyP99Micros() {
        return stats.methodLatency().percentile(0.99) / 1000.0;
    }
}
