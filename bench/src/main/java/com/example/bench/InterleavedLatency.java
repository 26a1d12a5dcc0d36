package com.example.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Single-thread hit latency with the variants interleaved round by round in one JVM, so that drift of
 * the machine (a waking vCPU, a neighbour) shows in every variant alike instead of in one. Prints each
 * variant's median round and its spread, and the ratios of the medians of per-round ratios.
 * Runs in a JVM started with the agent (see {@link BenchMain}).
 */
public final class InterleavedLatency {

    private InterleavedLatency() {
    }

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        int callsPerRound = Integer.parseInt(args[1]);
        HostAndPort redis = HostAndPort.from(System.getProperty("bench.redis"));
        Catalog catalog = new Catalog();
        JedisPooled jedis = new JedisPooled(redis.getHost(), redis.getPort());
        HandWrittenCache handWritten = new HandWrittenCache(jedis, new ObjectMapper());
        AnnotationConfigApplicationContext spring = SpringSetup.start(redis.getHost(), redis.getPort());
        SpringCatalog springCatalog = spring.getBean(SpringCatalog.class);
        byte[] agentKey = HitBenchmark.AGENT_KEY.getBytes(StandardCharsets.UTF_8);

        Map<String, Supplier<Object>> variants = new LinkedHashMap<>();
        variants.put("agentHit", () -> catalog.findCached(1));
        variants.put("handWrittenHit", () -> handWritten.get("hand:1", 1, catalog::findPlain, 3600));
        variants.put("springHit", () -> springCatalog.find(1));
        variants.put("bareGet", () -> jedis.get(agentKey));
        variants.put("agentHitWithoutMetrics", () -> catalog.findUncounted(1));
        variants.put("nearHit", () -> catalog.findNear(1));
        variants.put("nearHitWithoutMetrics", () -> catalog.findNearUncounted(1));
        variants.put("nearHitImmutable", () -> catalog.findPriceTag(1));
        variants.values().forEach(Supplier::get);
        if (jedis.get(agentKey) == null) {
            throw new IllegalStateException("the agent stored nothing: is it attached?");
        }

        Map<String, double[]> micros = new LinkedHashMap<>();
        variants.keySet().forEach(name -> micros.put(name, new double[rounds]));
        Object sink = null;
        for (int warm = 0; warm < 5; warm++) {
            for (Supplier<Object> variant : variants.values()) {
                for (int i = 0; i < callsPerRound; i++) {
                    sink = variant.get();
                }
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Supplier<Object>> variant : variants.entrySet()) {
                long started = System.nanoTime();
                for (int i = 0; i < callsPerRound; i++) {
                    sink = variant.getValue().get();
                }
                micros.get(variant.getKey())[round] = (System.nanoTime() - started) / 1000.0 / callsPerRound;
            }
        }
        System.out.println("interleaved single-thread hit latency, " + rounds + " rounds x " + callsPerRound
                + " calls per variant (us/op): median [min .. max] of the rounds");
        for (Map.Entry<String, double[]> variant : micros.entrySet()) {
            double[] sorted = variant.getValue().clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "  %-24s %8.2f  [%6.2f .. %6.2f]%n", variant.getKey(), median(sorted),
                    sorted[0], sorted[sorted.length - 1]);
        }
        System.out.printf(Locale.ROOT, "  median of per-round ratios: agent/hand-written %.3f, agent/bare GET %.3f,"
                        + " agent/Spring %.3f, Spring/hand-written %.3f%n",
                ratio(micros, "agentHit", "handWrittenHit"), ratio(micros, "agentHit", "bareGet"),
                ratio(micros, "agentHit", "springHit"), ratio(micros, "springHit", "handWrittenHit"));
        System.out.printf(Locale.ROOT, "  metrics' cost, median of per-round ratios: Redis hit with/without metrics"
                        + " %.3f, near-cache hit with/without metrics %.3f%n",
                ratio(micros, "agentHit", "agentHitWithoutMetrics"), ratio(micros, "nearHit", "nearHitWithoutMetrics"));
        nearCache("~1 KB Product, copied", () -> catalog.findNear(1), rounds * callsPerRound);
        nearCache("immutable record, shared", () -> catalog.findPriceTag(1), rounds * callsPerRound);
        System.out.println(sink == null ? "" : "");
        spring.close();
        jedis.close();
    }

    /**
     * A near-cache hit, call by call, for its percentiles: a copied value should cost a copy, a shared one a
     * map lookup, neither a round trip. Each figure includes one {@code System.nanoTime} pair, some 20-30 ns.
     */
    private static void nearCache(String label, Supplier<Object> hit, int calls) {
        hit.get();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            hit.get();
            long started = System.nanoTime();
            hit.get();
            if (System.nanoTime() - started < 10_000) {
                break;
            }
        }
        long[] nanos = new long[calls];
        Object sink = null;
        for (int i = 0; i < calls; i++) {
            long started = System.nanoTime();
            sink = hit.get();
            nanos[i] = System.nanoTime() - started;
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "  near-cache hit (%s), %d calls: p50 %d ns, p99 %d ns, p99.9 %d ns%s%n",
                label, calls, nanos[calls / 2], nanos[(int) (calls * 0.99)], nanos[(int) (calls * 0.999)],
                sink == null ? " (no value!)" : "");
    }

    private static double ratio(Map<String, double[]> micros, String top, String bottom) {
        double[] a = micros.get(top);
        double[] b = micros.get(bottom);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            ratios.add(a[i] / b[i]);
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return median(sorted);
    }

    private static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
