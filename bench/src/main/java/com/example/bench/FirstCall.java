package com.example.bench;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The first call of a cached method in a fresh JVM, against the first call of the same method without a
 * rule. Runs in a JVM started with the agent, after the agent had time to start and the class was loaded
 * ({@code args[0]} ms); the
 * uninstrumented method goes first, so the value's classes are loaded by then and what remains is the
 * agent's own first-call work: binding the site, building the JSON reader and writer, the read-back check,
 * the round trips.
 */
public final class FirstCall {

    private FirstCall() {
    }

    public static void main(String[] args) throws InterruptedException {
        // loaded, and so instrumented, as an application's classes are: well before their first call
        SlowLookup cached = new SlowLookup();
        SlowLookupPlain uncached = new SlowLookupPlain();
        Thread.sleep(Long.parseLong(args[0]));
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        long started = System.nanoTime();
        Product plain = uncached.find(id);
        long plainNanos = System.nanoTime() - started;
        started = System.nanoTime();
        Product first = cached.find(id);
        long firstNanos = System.nanoTime() - started;
        started = System.nanoTime();
        Product hit = cached.find(id);
        long hitNanos = System.nanoTime() - started;
        if (plain == null || first == null || hit == null) {
            throw new IllegalStateException("no value");
        }
        if (hitNanos >= 50_000_000L) {
            throw new IllegalStateException("the second call was not a hit: is the agent attached?");
        }
        System.out.printf(Locale.ROOT, "FIRST-CALL %.2f %.2f %.2f%n", plainNanos / 1e6, firstNanos / 1e6, hitNanos / 1e6);
    }
}
