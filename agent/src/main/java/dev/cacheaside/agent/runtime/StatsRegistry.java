package dev.cacheaside.agent.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link RuleStats} per rule name, kept across reloads so that counters survive an edit. */
public final class StatsRegistry {

    private final ConcurrentHashMap<String, RuleStats> byRule = new ConcurrentHashMap<>();

    public RuleStats forRule(String name) {
        return byRule.computeIfAbsent(name, ignored -> new RuleStats());
    }

    /** New rules of this version are in force: rules that had turned themselves off are on again. */
    public void resumeAll(int version) {
        for (RuleStats stats : byRule.values()) {
            stats.resume(version);
        }
    }

    /** A snapshot of every rule's counters, by name. */
    public Map<String, RuleStats> all() {
        return new TreeMap<>(byRule);
    }
}
