package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.CacheMode;
import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.config.EvictRule;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/** The rules in force, numbered so that each site can tell when its binding is out of date. */
public final class RuleSet {

    private final int version;
    private final AgentSettings settings;
    /** Cache rules in force in place of the settings' own: rules switched to shadow mode for their stale hits. */
    private final Map<String, CacheRule> replaced;

    public RuleSet(int version, AgentSettings settings) {
        this(version, settings, new HashMap<>());
    }

    private RuleSet(int version, AgentSettings settings, Map<String, CacheRule> replaced) {
        this.version = version;
        this.settings = settings;
        this.replaced = replaced;
    }

    /**
     * These rules as a new version in which the named cache rule runs in shadow mode; null when they are
     * no longer those of {@code basedOnVersion} (a reload or another switch came first), or the rule is
     * absent or already in shadow mode.
     */
    RuleSet withShadow(String name, int basedOnVersion, IntSupplier newVersion) {
        CacheRule rule = cacheRule(name);
        if (version != basedOnVersion || rule == null || rule.mode() == CacheMode.SHADOW) {
            return null;
        }
        Map<String, CacheRule> next = new HashMap<>(replaced);
        next.put(name, rule.withMode(CacheMode.SHADOW));
        return new RuleSet(newVersion.getAsInt(), settings, next);
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
        CacheRule rule = replaced.get(name);
        return rule != null ? rule : settings.cacheRules().get(name);
    }

    public EvictRule evictRule(String name) {
        return settings.evictRules().get(name);
    }
}
