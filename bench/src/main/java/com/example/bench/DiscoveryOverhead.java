package com.example.bench;

import com.example.bench.store.ProductStore;
import com.example.bench.watched.WatchedProductStore;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * What a running discovery costs the application: the same data-access code in a package discovery
 * watches and in one it does not, interleaved round by round in one JVM started with
 * {@code -javaagent:...=discover:packages=com.example.bench.watched} (see {@link BenchMain}). Reads repeat
 * over 100 ids and one call in 20 is a mutator, so the probe records repeats, changes and suspects as it
 * does in an application.
 */
public final class DiscoveryOverhead {

    private DiscoveryOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int callsPerRound = Integer.parseInt(args[1]);
        ProductStore plain = new ProductStore();
        ProductStore watched = new WatchedProductStore();
        compare("in-memory read (~1 KB entity built per call)", rounds, callsPerRound,
                id -> plain.findById(id), id -> watched.findById(id), plain, watched);
        compare("read of about 50 µs (a small query)", rounds, Math.max(1, callsPerRound / 20),
                id -> plain.findByIdFromDatabase(id), id -> watched.findByIdFromDatabase(id), plain, watched);
        String status = (String) ManagementFactory.getPlatformMBeanServer()
                .getAttribute(new ObjectName("cache-aside:type=Discovery"), "Status");
        if (!status.contains("3 method(s)") || status.contains(" 0 call(s)")) {
            throw new IllegalStateException("discovery did not watch the store's three methods: " + status);
        }
        System.out.println("  discovery's own status: " + status);
    }

    private static void compare(String what, int rounds, int callsPerRound, LongFunction<Product> unwatched,
                                LongFunction<Product> watchedRead, ProductStore plain, ProductStore watched) {
        double[] ratios = new double[rounds];
        double[] plainMicros = new double[rounds];
        double[] watchedMicros = new double[rounds];
        Object sink = null;
        for (int round = -5; round < rounds; round++) {
            long plainNanos = 0;
            long watchedNanos = 0;
            // the order alternates, so that neither side always runs just after the other's garbage
            for (int side = 0; side < 2; side++) {
                boolean watchedSide = (side == 0) == (round % 2 == 0);
                LongFunction<Product> read = watchedSide ? watchedRead : unwatched;
                ProductStore store = watchedSide ? watched : plain;
                long started = System.nanoTime();
                for (int i = 0; i < callsPerRound; i++) {
                    if (i % 20 == 19) {
                        store.updatePrice(i % 100, i);
                    } else {
                        sink = read.apply(i % 100);
                    }
                }
                long took = System.nanoTime() - started;
                if (watchedSide) {
                    watchedNanos = took;
                } else {
                    plainNanos = took;
                }
            }
            if (round >= 0) {
                ratios[round] = (double) watchedNanos / plainNanos;
                plainMicros[round] = plainNanos / 1000.0 / callsPerRound;
                watchedMicros[round] = watchedNanos / 1000.0 / callsPerRound;
            }
        }
        System.out.printf(Locale.ROOT, "discovery's overhead, %s: %d rounds x %d calls, µs per call median:"
                        + " unwatched %.2f, watched %.2f; median of per-round ratios watched / unwatched %.3f%n",
                what, rounds, callsPerRound, median(plainMicros), median(watchedMicros), median(ratios));
        if (sink == null) {
            throw new IllegalStateException("no value read");
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
