package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.config.EvictRule;

/** The rules in force, numbered so that each site can tell when its binding is out of date. */
public final class RuleSet {

    private final int version;
    private final AgentSettings settings;

    public RuleSet(int version, AgentSettings settings) {
        this.version = version;
        this.settings = settings;
    }

    public int version() {
        return version;
    }

    public AgentSettings settings() {
        return settings;
    }

    public String keyPrefix() {
        return settings.keyPrefix();
    }

    public CacheRule cacheRule(String name) {
        return settings.cacheRules().get(name);
    }

    public EvictRule evictRule(String name) {
        return settings.evictRules().get(name);
    }
}
