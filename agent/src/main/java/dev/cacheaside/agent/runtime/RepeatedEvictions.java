package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.log.AgentLog;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The second, delayed evictions of {@code repeat-after}, on a thread and a queue of their own, so that a burst of
 * writes neither delays the breaker's probe nor grows memory. Repeats of the same keys coalesce into one, carried
 * out after the latest of their delays; when {@link #capacity} different repeats wait, the one due first is dropped
 * (its first eviction has happened; only the repeat is lost), counted, and logged once per minute.
 */
final class RepeatedEvictions {

    /** How many different repeats may wait; each holds its keys and the binding of its rule. */
    static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final LongSupplier clockMillis;
    private final Object lock = new Object();
    private final Map<String, Repeat> waiting = new HashMap<>();
    private final PriorityQueue<Repeat> byDue = new PriorityQueue<>((a, b) -> Long.compare(a.dueMillis, b.dueMillis));
    private final AtomicLong coalesced = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean stopped;

    private static final class Repeat {
        final String identity;
        long dueMillis;
        /** Later than {@link #dueMillis} when a repeat of the same keys arrived meanwhile. */
        long latestDueMillis;
        Runnable eviction;

        Repeat(String identity, long dueMillis, Runnable eviction) {
            this.identity = identity;
            this.dueMillis = dueMillis;
            this.latestDueMillis = dueMillis;
            this.eviction = eviction;
        }
    }

    RepeatedEvictions(int capacity, LongSupplier clockMillis) {
        this.capacity = capacity;
        this.clockMillis = clockMillis;
    }

    /** Starts the thread that carries the repeats out; made by the agent, so it holds no application loader. */
    RepeatedEvictions start() {
        Thread worker = new Thread(this::run, "cache-aside-repeat-evictions");
        worker.setDaemon(true);
        worker.setContextClassLoader(null);
        worker.start();
        return this;
    }

    /** Carries {@code eviction} out after {@code delayMillis}; {@code identity} names its rule and keys. */
    void schedule(String identity, long delayMillis, Runnable eviction) {
        long due = clockMillis.getAsLong() + delayMillis;
        synchronized (lock) {
            Repeat known = waiting.get(identity);
            if (known != null) {
                known.latestDueMillis = Math.max(known.latestDueMillis, due);
                known.eviction = eviction;
                coalesced.incrementAndGet();
                return;
            }
            if (waiting.size() >= capacity) {
                Repeat first = byDue.poll();
                waiting.remove(first.identity);
                long count = dropped.incrementAndGet();
                AgentLog.warnLimited("repeat-after-full", () -> capacity + " repeat-after evictions were waiting, so"
                        + " the one due first was dropped (its first eviction was done; " + count + " dropped so far)");
            }
            Repeat repeat = new Repeat(identity, due, eviction);
            waiting.put(identity, repeat);
            byDue.add(repeat);
            lock.notifyAll();
        }
    }

    /** The repeats that waited and are not carried out yet. */
    int waiting() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    long coalesced() {
        return coalesced.get();
    }

    long dropped() {
        return dropped.get();
    }

    /** Carries out the repeats that are due. */
    void runDue() {
        while (true) {
            Repeat due;
            synchronized (lock) {
                due = byDue.peek();
                if (due == null || due.dueMillis > clockMillis.getAsLong()) {
                    return;
                }
                byDue.poll();
                if (due.latestDueMillis > due.dueMillis) {
                    due.dueMillis = due.latestDueMillis;
                    byDue.add(due);
                    continue;
                }
                waiting.remove(due.identity);
            }
            try {
                due.eviction.run();
            } catch (RuntimeException e) {
                AgentLog.warnLimited("repeat-after-failed", "a repeat-after eviction failed: " + AgentLog.describe(e));
            }
        }
    }

    void stop() {
        stopped = true;
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private void run() {
        while (!stopped) {
            runDue();
            synchronized (lock) {
                Repeat next = byDue.peek();
                long wait = next == null ? 0 : next.dueMillis - clockMillis.getAsLong();
                if (stopped || (next != null && wait <= 0)) {
                    continue;
                }
                try {
                    lock.wait(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
