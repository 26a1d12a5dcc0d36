package com.example.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Single-thread miss latency, the agent's against hand-written cache-aside's, interleaved round by round in
 * one JVM that also has near-cache rules, so that the near cache's invalidation tracking is part of the cost.
 * Every call misses: a key never read before. The agent's miss holds a lease (single-flight across JVMs,
 * a fill voided by a concurrent eviction is not stored); the hand-written one is GET, method, SET EX.
 * Runs in a JVM started with the agent (see {@link BenchMain}).
 */
public final class MissLatency {

    private MissLatency() {
    }

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        int callsPerRound = Integer.parseInt(args[1]);
        HostAndPort redis = HostAndPort.from(System.getProperty("bench.redis"));
        Catalog catalog = new Catalog();
        JedisPooled jedis = new JedisPooled(redis.getHost(), redis.getPort());
        HandWrittenCache handWritten = new HandWrittenCache(jedis, new ObjectMapper());
        AtomicLong ids = new AtomicLong(System.nanoTime());
        catalog.findNear(1);
        if (!jedis.exists("cache-aside:bench:near:1")) {
            throw new IllegalStateException("the agent stored nothing: is it attached?");
        }

        double[] agent = new double[rounds];
        double[] hand = new double[rounds];
        Object sink = null;
        for (int round = -5; round < rounds; round++) {
            long started = System.nanoTime();
            for (int i = 0; i < callsPerRound; i++) {
                sink = catalog.findMiss(ids.incrementAndGet());
            }
            long agentNanos = System.nanoTime() - started;
            started = System.nanoTime();
            for (int i = 0; i < callsPerRound; i++) {
                long id = ids.incrementAndGet();
                sink = handWritten.get("hand-miss:" + id, id, catalog::findPlain, 2);
            }
            long handNanos = System.nanoTime() - started;
            if (round >= 0) {
                agent[round] = agentNanos / 1000.0 / callsPerRound;
                hand[round] = handNanos / 1000.0 / callsPerRound;
            }
        }
        double[] ratios = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            ratios[i] = agent[i] / hand[i];
        }
        System.out.println("interleaved single-thread miss latency, " + rounds + " rounds x " + callsPerRound
                + " calls per variant (us/op): median [min .. max] of the rounds; near-cache rules in the same JVM");
        print("agentMiss", agent);
        print("handWrittenMiss", hand);
        Arrays.sort(ratios);
        System.out.printf(Locale.ROOT, "  median of per-round ratios: agent miss/hand-written miss %.3f%s%n",
                ratios[rounds / 2], sink == null ? " (no value!)" : "");
        jedis.close();
    }

    private static void print(String name, double[] micros) {
        double[] sorted = micros.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "  %-24s %8.2f  [%6.2f .. %6.2f]%n", name, sorted[sorted.length / 2], sorted[0],
                sorted[sorted.length - 1]);
    }
}
