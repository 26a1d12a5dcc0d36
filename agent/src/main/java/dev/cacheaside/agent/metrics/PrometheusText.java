package dev.cacheaside.agent.metrics;

import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.runtime.LatencyHistogram;
import dev.cacheaside.agent.runtime.RuleStats;
import dev.cacheaside.agent.runtime.StatsRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/** The rules' counters in the Prometheus text exposition format (version 0.0.4). */
public final class PrometheusText {

    private static final double[] QUANTILES = {0.5, 0.99};

    private PrometheusText() {
    }

    public static String render(AgentSettings settings, StatsRegistry stats, boolean redisAvailable) {
        List<String> cacheRules = new ArrayList<>(settings.cacheRules().keySet());
        List<String> evictRules = new ArrayList<>(settings.evictRules().keySet());
        List<String> allRules = new ArrayList<>(cacheRules);
        allRules.addAll(evictRules);
        StringBuilder text = new StringBuilder(4096);
        help(text, "cache_aside_redis_available", "gauge", "1 while Redis answers, 0 while calls run uncached.");
        text.append("cache_aside_redis_available ").append(redisAvailable ? 1 : 0).append('\n');
        counter(text, stats, cacheRules, "hits", "Calls answered from the cache.", RuleStats::hits);
        counter(text, stats, cacheRules, "near_hits", "Hits answered from the JVM's near cache.", RuleStats::nearHits);
        counter(text, stats, cacheRules, "misses", "Calls that ran the method.", RuleStats::misses);
        counter(text, stats, cacheRules, "stores", "Results stored in Redis.", RuleStats::stores);
        counter(text, stats, cacheRules, "store_skips", "Results not stored: null, too large or not writable.",
                RuleStats::storeSkips);
        counter(text, stats, cacheRules, "voided_fills", "Fills not stored because an eviction voided their lease.",
                RuleStats::voidedFills);
        counter(text, stats, cacheRules, "refreshes", "Entries replaced in the background before their TTL ended.",
                RuleStats::refreshes);
        counter(text, stats, cacheRules, "refresh_failures", "Background refreshes whose method threw or whose"
                + " value could not be stored.", RuleStats::refreshFailures);
        counter(text, stats, cacheRules, "stale_serves", "Calls whose method threw, answered with an expired entry.",
                RuleStats::staleServes);
        counter(text, stats, cacheRules, "bulk_partial_hits", "Bulk calls that ran the method for their missing ids"
                + " only.", RuleStats::bulkPartialHits);
        counter(text, stats, cacheRules, "lease_waits_expired", "Calls that waited for another fill in vain.",
                RuleStats::leaseWaitsExpired);
        counter(text, stats, cacheRules, "audits", "Hits whose cached value was compared with the method's result.",
                RuleStats::audits);
        counter(text, stats, cacheRules, "audit_mismatches", "Audited hits whose cached value was stale.",
                RuleStats::auditMismatches);
        counter(text, stats, allRules, "evictions", "Keys evicted and caches dropped.", RuleStats::evictions);
        counter(text, stats, allRules, "bypassed", "Calls that ran uncached because Redis was unavailable.",
                RuleStats::bypassed);
        counter(text, stats, allRules, "pool_busy", "Calls that ran uncached because every pooled Redis connection"
                + " was in use (back-pressure, not an outage).", RuleStats::poolBusy);
        counter(text, stats, cacheRules, "off_calls", "Calls that ran uncached because the rule had turned itself off.",
                RuleStats::offCalls);
        String off = "cache_aside_rule_off";
        help(text, off, "gauge", "1 once a rule turned itself off for a method (a value that does not round-trip),"
                + " until the config is reloaded; its reason is in the log, JMX and attach --status.");
        for (String rule : cacheRules) {
            sample(text, off, rule, null, null, stats.forRule(rule).offReason() == null ? 0 : 1);
        }
        String ratio = "cache_aside_stale_ratio";
        help(text, ratio, "gauge", "Share of the audits of the last 5 minutes that found a stale entry, 0 to 1.");
        for (String rule : cacheRules) {
            text.append(ratio).append("{rule=\"").append(escape(rule)).append("\"} ")
                    .append(String.format(Locale.ROOT, "%.6f", stats.forRule(rule).staleRatio())).append('\n');
        }
        String window = "cache_aside_stale_window_audits";
        help(text, window, "gauge", "Audits in the last 5 minutes, the window of cache_aside_stale_ratio.");
        for (String rule : cacheRules) {
            sample(text, window, rule, null, null, stats.forRule(rule).windowAudits());
        }
        String shadow = "cache_aside_rule_stale_shadow";
        help(text, shadow, "gauge", "1 once a rule switched itself to shadow mode because its stale-hit ratio passed"
                + " max-stale-ratio (on-stale = shadow), until the config is reloaded.");
        for (String rule : cacheRules) {
            sample(text, shadow, rule, null, null, stats.forRule(rule).shadowReason() == null ? 0 : 1);
        }
        String errors = "cache_aside_errors_total";
        help(text, errors, "counter", "Errors by kind: redis (an error reply), key (not renderable), value.");
        for (String rule : allRules) {
            RuleStats ruleStats = stats.forRule(rule);
            sample(text, errors, rule, "kind", "redis", ruleStats.redisErrors());
            sample(text, errors, rule, "kind", "key", ruleStats.keyErrors());
            sample(text, errors, rule, "kind", "value", ruleStats.valueErrors());
        }
        latency(text, settings, stats, "cache_aside_hit_latency_seconds",
                "Time from entering a cached method to having a hit's value.", RuleStats::hitLatency);
        latency(text, settings, stats, "cache_aside_method_latency_seconds",
                "The method's own time on a miss.", RuleStats::methodLatency);
        return text.toString();
    }

    private static void counter(StringBuilder text, StatsRegistry stats, List<String> rules, String name,
                                String help, ToLongFunction<RuleStats> value) {
        String metric = "cache_aside_" + name + "_total";
        help(text, metric, "counter", help);
        for (String rule : rules) {
            sample(text, metric, rule, null, null, value.applyAsLong(stats.forRule(rule)));
        }
    }

    private static void latency(StringBuilder text, AgentSettings settings, StatsRegistry stats, String metric,
                                String help, Function<RuleStats, LatencyHistogram> histogram) {
        help(text, metric, "summary", help + " Quantiles of all calls since start; rules with metrics = false have none.");
        for (CacheRule rule : settings.cacheRules().values()) {
            if (!rule.metrics()) {
                continue;
            }
            LatencyHistogram latencies = histogram.apply(stats.forRule(rule.name()));
            for (double quantile : QUANTILES) {
                text.append(metric).append("{rule=\"").append(escape(rule.name())).append("\",quantile=\"")
                        .append(quantile).append("\"} ")
                        .append(seconds(latencies.percentile(quantile))).append('\n');
            }
            String label = "{rule=\"" + escape(rule.name()) + "\"} ";
            text.append(metric).append("_sum").append(label).append(seconds(latencies.totalNanos())).append('\n');
            text.append(metric).append("_count").append(label).append(latencies.count()).append('\n');
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.9f", nanos / 1e9);
    }

    private static void help(StringBuilder text, String metric, String type, String help) {
        text.append("# HELP ").append(metric).append(' ').append(help).append('\n');
        text.append("# TYPE ").append(metric).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder text, String metric, String rule, String label, String labelValue,
                               long value) {
        text.append(metric).append("{rule=\"").append(escape(rule)).append('"');
        if (label != null) {
            text.append(',').append(label).append("=\"").append(escape(labelValue)).append('"');
        }
        text.append("} ").append(value).append('\n');
    }

    /** Label values escape backslash, double quote and line feed. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
