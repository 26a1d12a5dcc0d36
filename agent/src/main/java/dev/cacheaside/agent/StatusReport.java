package dev.cacheaside.agent;

import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.config.EvictRule;
import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.runtime.RuleStats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Locale;

/** The text of {@code attach PID --status}: the rules in force and their counters, without secrets. */
final class StatusReport {

    private StatusReport() {
    }

    static void write(AgentRuntime runtime, String file, boolean latencies) {
        try {
            Files.write(Paths.get(file), (latencies ? stats(runtime) : text(runtime)).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            AgentLog.error("cannot write the status to " + file, e);
        }
    }

    /** 90s, 10m, 1h, 500ms: the largest unit that divides the duration. */
    static String duration(java.time.Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** The table of {@code stats PID}: counters and latency percentiles per rule. */
    static String stats(AgentRuntime runtime) {
        if (runtime == null) {
            return text(null);
        }
        AgentSettings settings = runtime.settings();
        String format = "%-26s %-5s %8s %8s %7s %8s %9s %7s %19s %19s%n";
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, format, "RULE", "KIND", "HITS", "MISSES",
                "RATIO", "STORES", "EVICTIONS", "ERRORS", "HIT p50/p99 (us)", "METHOD p50/p99 (ms)"));
        for (CacheRule rule : settings.cacheRules().values()) {
            RuleStats stats = runtime.stats().forRule(rule.name());
            if (!rule.metrics()) {
                text.append(String.format(Locale.ROOT, format, rule.name(), "cache", "-", stats.misses(), "-",
                        stats.stores(), stats.evictions(), stats.errors(), "metrics = false", "-"));
                continue;
            }
            text.append(String.format(Locale.ROOT, format, rule.name(), "cache", stats.hits(), stats.misses(),
                    String.format(Locale.ROOT, "%.1f%%", stats.hitRatio() * 100), stats.stores(), stats.evictions(),
                    stats.errors(),
                    String.format(Locale.ROOT, "%.0f / %.0f", stats.hitLatency().percentile(0.5) / 1e3,
                            stats.hitLatency().percentile(0.99) / 1e3),
                    String.format(Locale.ROOT, "%.2f / %.2f", stats.methodLatency().percentile(0.5) / 1e6,
                            stats.methodLatency().percentile(0.99) / 1e6)));
        }
        for (EvictRule rule : settings.evictRules().values()) {
            RuleStats stats = runtime.stats().forRule(rule.name());
            text.append(String.format(Locale.ROOT, format, rule.name(), "evict", "-", "-", "-", "-",
                    stats.evictions(), stats.errors(), "-", "-"));
        }
        return text.toString();
    }

    static String text(AgentRuntime runtime) {
        if (runtime == null) {
            return "cache-aside agent: not active in this JVM (not started, disabled, or its config was invalid)\n";
        }
        AgentSettings settings = runtime.settings();
        StringBuilder text = new StringBuilder();
        text.append("cache-aside agent: active, config ").append(runtime.file())
                .append(settings.reload() ? " (reload on)" : " (reload off)").append('\n');
        text.append("Redis: ").append(settings.redis().describe())
                .append(runtime.redisAvailable() ? " (available)" : " (unavailable, calls run uncached)").append('\n');
        String format = "%-26s %-5s %8s %8s %7s %8s %9s %7s%n";
        text.append('\n').append(String.format(Locale.ROOT, format, "RULE", "KIND", "HITS", "MISSES", "RATIO",
                "STORES", "EVICTIONS", "ERRORS"));
        for (CacheRule rule : settings.cacheRules().values()) {
            RuleStats stats = runtime.stats().forRule(rule.name());
            text.append(String.format(Locale.ROOT, format, rule.name(), "cache", stats.hits(), stats.misses(),
                    String.format(Locale.ROOT, "%.1f%%", stats.hitRatio() * 100), stats.stores(), stats.evictions(),
                    stats.errors()));
        }
        for (EvictRule rule : settings.evictRules().values()) {
            RuleStats stats = runtime.stats().forRule(rule.name());
            text.append(String.format(Locale.ROOT, format, rule.name(), "evict", "-", "-", "-", "-",
                    stats.evictions(), stats.errors()));
        }
        text.append('\n');
        for (CacheRule rule : settings.cacheRules().values()) {
            text.append(String.format(Locale.ROOT, "%-26s %s key=%s ttl=%s%s%n", rule.name(), rule.method(),
                    rule.key(), duration(rule.ttl()),
                    rule.mode().name().equals("CACHE") ? "" : " mode=" + rule.mode().name().toLowerCase(Locale.ROOT)));
        }
        for (EvictRule rule : settings.evictRules().values()) {
            text.append(String.format(Locale.ROOT, "%-26s %s keys=%s caches=%s%n", rule.name(), rule.method(),
                    rule.keys(), rule.caches()));
        }
        for (CacheRule rule : settings.cacheRules().values()) {
            RuleStats stats = runtime.stats().forRule(rule.name());
            String reason = stats.offReason();
            if (reason != null) {
                text.append("rule '").append(rule.name()).append("' turned itself off until the config is reloaded: ")
                        .append(reason).append('\n');
            } else if (stats.shadowReason() != null) {
                text.append("rule '").append(rule.name()).append("' switched itself to shadow mode until the config is"
                        + " reloaded: ").append(stats.shadowReason()).append('\n');
            }
        }
        return text.toString();
    }
}
