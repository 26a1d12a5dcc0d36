package dev.cacheaside.agent.metrics;

/** One rule's counters, as JConsole and VisualVM show them. Latencies are in microseconds. */
public interface RuleMXBean {

    String getKind();

    String getMethod();

    long getHits();

    long getMisses();

    /** Hits served from the JVM's near cache, part of {@link #getHits()}. */
    long getNearHits();

    double getHitRatio();

    long getStores();

    long getStoreSkips();

    long getEvictions();

    long getErrors();

    /** Errors Redis answered with, part of {@link #getErrors()}. */
    long getRedisErrors();

    /** Keys that could not be rendered, part of {@link #getErrors()}. */
    long getKeyErrors();

    /** Values that could not be read or written, part of {@link #getErrors()}. */
    long getValueErrors();

    long getBypassed();

    long getAuditMismatches();

    long getVoidedFills();

    double getHitLatencyP50Micros();

    double getHitLatencyP99Micros();

    double getMethodLatencyP50Micros();

    double getMethodLatencyP99Micros();
}
