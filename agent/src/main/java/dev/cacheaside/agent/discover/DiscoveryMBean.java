package dev.cacheaside.agent.discover;

/**
 * {@code cache-aside:type=Discovery}: how the {@code discover} command follows and ends a discovery in
 * the target JVM, and how the proposed file travels back to it.
 */
public interface DiscoveryMBean {

    /** One line: time watched, methods, calls, candidates so far. */
    String getStatus();

    boolean isFinished();

    /** Once finished: whether every watched class was given its original code back. */
    boolean isRestored();

    /** The proposed agent.conf once the discovery has ended, else null. */
    String getReport();

    /** Ends the discovery now (if it still runs), restores the original code, and returns the report. */
    String finish();
}
