package dev.cacheaside.agent.config;

import java.time.Duration;

/** A rule's lease-guarded fills: on or off, how long a lease lasts, how long others wait for it. */
public final class LeaseSettings {

    private final boolean enabled;
    private final Duration ttl;
    private final Duration wait;

    LeaseSettings(boolean enabled, Duration ttl, Duration wait) {
        this.enabled = enabled;
        this.ttl = ttl;
        this.wait = wait;
    }

    public boolean enabled() {
        return enabled;
    }

    public Duration ttl() {
        return ttl;
    }

    public Duration waitLimit() {
        return wait;
    }
}
