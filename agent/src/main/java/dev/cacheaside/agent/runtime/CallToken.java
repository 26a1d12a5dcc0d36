package dev.cacheaside.agent.runtime;

/** What enter hands to exit when the body runs: the key and binding, and what to do with the result. */
final class CallToken {

    enum Action {
        /** A miss without a lease: store the result. */
        STORE,
        /** A miss that leads a lease-guarded fill: store only while the lease holds. */
        STORE_LEASED,
        /** Shadow mode, or a call that must not write (it waited for a fill in vain): store nothing. */
        OBSERVE,
        /** An audited hit: compare the result with the cached JSON. */
        AUDIT,
        /** A background refresh: replace the entry only while it still holds {@link #cached}. */
        REFRESH
    }

    final String key;
    final CacheBinding binding;
    final Action action;
    final byte[] cached;
    final Fills.Lead lead;
    /** The class whose method runs, for an audit to name its mutators; null otherwise. */
    final Class<?> declaringType;
    /** An audit's remaining TTL of the entry when it was read, in milliseconds; negative when unknown. */
    final long remainingTtlMillis;
    /** When {@link #remainingTtlMillis} was read (wall clock), so the entry's age is taken at that moment. */
    final long remainingReadMillis = System.currentTimeMillis();
    /** What the lookup left of the call's time to wait for Redis, for the store; no limit unless a lookup set it. */
    long waitLeftNanos = Long.MAX_VALUE;
    /** When the method body started, for its latency. */
    final long bodyStarted = System.nanoTime();
    /** An expired entry that stands in for an exception of the method (stale-if-error), or null. */
    byte[] stale;
    /** When {@link #stale} ends (wall clock): after that it is too old to serve. */
    long staleEndsAtMillis;

    private CallToken(String key, CacheBinding binding, Action action, byte[] cached, Fills.Lead lead,
                      Class<?> declaringType) {
        this(key, binding, action, cached, lead, declaringType, -1);
    }

    private CallToken(String key, CacheBinding binding, Action action, byte[] cached, Fills.Lead lead,
                      Class<?> declaringType, long remainingTtlMillis) {
        this.remainingTtlMillis = remainingTtlMillis;
        this.declaringType = declaringType;
        this.key = key;
        this.binding = binding;
        this.action = action;
        this.cached = cached;
        this.lead = lead;
    }

    static CallToken store(String key, CacheBinding binding) {
        return new CallToken(key, binding, Action.STORE, null, null, null);
    }

    static CallToken leased(String key, CacheBinding binding, Fills.Lead lead) {
        return new CallToken(key, binding, Action.STORE_LEASED, null, lead, null);
    }

    static CallToken observe(String key, CacheBinding binding) {
        return new CallToken(key, binding, Action.OBSERVE, null, null, null);
    }

    /** A background refresh that may replace the entry while it holds {@code expected}. */
    static CallToken refresh(String key, CacheBinding binding, byte[] expected) {
        return new CallToken(key, binding, Action.REFRESH, expected, null, null);
    }

    /** Keeps an expired entry to serve if the method throws; returns this token. */
    CallToken withStale(byte[] expired, long endsAtMillis) {
        this.stale = expired;
        this.staleEndsAtMillis = endsAtMillis;
        return this;
    }

    /** An audited hit; {@code lead} holds the entry's key while the method runs (null without leases). */
    static CallToken audit(String key, CacheBinding binding, byte[] cached, Class<?> declaringType, Fills.Lead lead,
                           long remainingTtlMillis) {
        return new CallToken(key, binding, Action.AUDIT, cached, lead, declaringType, remainingTtlMillis);
    }
}
