package dev.cacheaside.agent.config;

import java.time.Duration;

/**
 * What a rule does near and after an entry's end: refresh it ahead in the background, and serve an
 * expired copy when the method throws. Both keep an entry in Redis for {@code ttl + stale-if-error}
 * and read its remaining TTL with the value.
 */
public final class FreshnessSettings {

    private final double refreshAhead;
    private final Duration refreshStopAfter;
    private final Duration staleIfError;

    FreshnessSettings(double refreshAhead, Duration refreshStopAfter, Duration staleIfError) {
        this.refreshAhead = refreshAhead;
        this.refreshStopAfter = refreshStopAfter;
        this.staleIfError = staleIfError;
    }

    /** The last fraction of the TTL in which a hit refreshes the entry in the background; 0 for never. */
    public double refreshAhead() {
        return refreshAhead;
    }

    /** An entry nobody read for this long is not refreshed. */
    public Duration refreshStopAfter() {
        return refreshStopAfter;
    }

    /** How long after its TTL an entry may still be served when the method throws; zero for never. */
    public Duration staleIfError() {
        return staleIfError;
    }

    /** Whether lookups need the entry's remaining TTL: only then is it read, so other rules pay nothing. */
    public boolean readsTtl() {
        return refreshAhead > 0 || !staleIfError.isZero();
    }
}
