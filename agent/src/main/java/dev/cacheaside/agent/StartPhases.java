package dev.cacheaside.agent;

import java.util.concurrent.TimeUnit;

/**
 * How long each step of the agent's start took, for one debug line: where an attach spends its time
 * (settings, store, codec, Byte Buddy, the scan of loaded classes, the retransformation).
 */
final class StartPhases {

    private final StringBuilder phases = new StringBuilder();
    private long last = System.nanoTime();

    /** Ends the step running since the previous call (or since construction) under this name. */
    synchronized void done(String step) {
        long now = System.nanoTime();
        phases.append(phases.length() == 0 ? "" : ", ").append(step).append(' ')
                .append(TimeUnit.NANOSECONDS.toMillis(now - last)).append(" ms");
        last = now;
    }

    @Override
    public synchronized String toString() {
        return phases.toString();
    }
}
