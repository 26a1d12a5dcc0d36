package dev.cacheaside.agent.config;

import java.time.Duration;

/** A rule's in-JVM copy of its Redis entries. */
public final class NearCacheSettings {

    private final boolean enabled;
    private final int maxEntries;
    private final Duration ttl;

    NearCacheSettings(boolean enabled, int maxEntries, Duration ttl) {
        this.enabled = enabled;
        this.maxEntries = maxEntries;
        this.ttl = ttl;
    }

    public boolean enabled() {
        return enabled;
    }

    public int maxEntries() {
        return maxEntries;
    }

    public Duration ttl() {
        return ttl;
    }
}
