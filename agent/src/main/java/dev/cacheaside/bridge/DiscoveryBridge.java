package dev.cacheaside.bridge;

/**
 * Static entry points for the discovery advice. Without an installed {@link Probe} a call costs one
 * volatile read; nothing the probe does can reach the application.
 */
public final class DiscoveryBridge {

    private static volatile Probe probe;

    private DiscoveryBridge() {
    }

    /** Installs the probe; null makes the advice a no-op until its classes are retransformed back. */
    public static void install(Probe installed) {
        probe = installed;
    }

    /** The start time of a call, or 0 when no probe is installed, so that {@link #exit} does nothing. */
    public static long enter() {
        return probe == null ? 0L : System.nanoTime();
    }

    public static void exit(int probeId, long startedNanos, Object[] arguments, Object returned, Throwable thrown) {
        Probe current = probe;
        if (current == null || startedNanos == 0L) {
            return;
        }
        try {
            current.record(probeId, startedNanos, arguments, returned, thrown);
        } catch (Throwable ignored) {
            // the method's own outcome reaches the caller unchanged
        }
    }
}
