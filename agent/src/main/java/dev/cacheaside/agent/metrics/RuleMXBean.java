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

    long getBypassed();

    long getAuditMismatches();

    long getVoidedFills();

    double getHitLatencyP50Micros();

    double getHitLatencyP99Micros();

    double getMethodLatencyP50Micros();

    double getMethodLatencyP99Micros();
}
