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

    /** A snapshot of every rule's counters, by name. */
    public Map<String, RuleStats> all() {
        return new TreeMap<>(byRule);
    }
}
