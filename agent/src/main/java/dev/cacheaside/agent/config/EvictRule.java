package dev.cacheaside.agent.config;

import java.time.Duration;
import java.util.List;

/** One named evict rule: the keys and whole caches a mutator's call invalidates. */
public final class EvictRule {

    private final String name;
    private final MethodSpec method;
    private final List<KeyTemplate> keys;
    private final List<String> caches;
    private final Duration repeatAfter;
    private final String origin;

    EvictRule(String name, MethodSpec method, List<KeyTemplate> keys, List<String> caches, Duration repeatAfter,
              String origin) {
        this.name = name;
        this.method = method;
        this.keys = keys;
        this.caches = caches;
        this.repeatAfter = repeatAfter;
        this.origin = origin;
    }

    public String name() {
        return name;
    }

    public MethodSpec method() {
        return method;
    }

    public List<KeyTemplate> keys() {
        return keys;
    }

    /** Names of cache rules whose every entry this mutator drops. */
    public List<String> caches() {
        return caches;
    }

    /** Delay of a second eviction, or {@link Duration#ZERO} for none. */
    public Duration repeatAfter() {
        return repeatAfter;
    }

    public String origin() {
        return origin;
    }
}
