package dev.cacheaside.bridge;

/** What the discovery advice calls, through {@link DiscoveryBridge}. Implementations never throw. */
public interface Probe {

    /** Records one call of a watched method: its duration, arguments and outcome. */
    void record(int probeId, long startedNanos, Object[] arguments, Object returned, Throwable thrown);
}
