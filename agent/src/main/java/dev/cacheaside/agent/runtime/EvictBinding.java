package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.config.EvictRule;

import java.util.List;

/** An evict site joined to the rule version in force. */
final class EvictBinding {

    static EvictBinding inactive(int version) {
        return new EvictBinding(version, null, null, null, null);
    }

    final int version;
    final EvictRule rule;
    final List<KeyRenderer> keys;
    /** SCAN patterns of the whole caches this mutator drops. */
    final List<String> dropPatterns;
    final RuleStats stats;

    EvictBinding(int version, EvictRule rule, List<KeyRenderer> keys, List<String> dropPatterns, RuleStats stats) {
        this.version = version;
        this.rule = rule;
        this.keys = keys;
        this.dropPatterns = dropPatterns;
        this.stats = stats;
    }

    boolean isActive() {
        return rule != null;
    }
}
