package com.example.bench;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What refresh-ahead and bulk rules buy, side by side in one JVM that runs with the agent (see
 * {@link BenchMain}):
 * <ul>
 * <li>a steady read load on a few keys with a 1 s TTL over a 20 ms "database", the same rule with and
 * without {@code refresh-ahead = 50%}, the two interleaved call by call: latency percentiles and the
 * share of calls that ran the method;</li>
 * <li>reads of 50 ids through a bulk rule against 50 single-id calls, all cached: Redis commands per
 * read (from {@code INFO commandstats}) and time per read.</li>
 * </ul>
 */
public final class FreshnessAndBulk {

    static final String RULES = String.join("\n",
            "    plain { method = \"com.example.bench.SlowCatalog#find(long)\", key = \"bench:plain:{0}\", ttl = 1s }",
            "    refreshed { method = \"com.example.bench.SlowCatalog#findRefreshed(long)\","
                    + " key = \"bench:refreshed:{0}\", ttl = 1s, refresh-ahead = 50% }",
            "    one { method = \"com.example.bench.SlowCatalog#findOne(long)\", key = \"bench:item:{0}\", ttl = 1h }",
            "    many { method = \"com.example.bench.SlowCatalog#findMany(java.util.List)\", key = \"bench:item:{0[*]}\","
                    + " result-key = \"bench:item:{result[*].id}\", ttl = 1h }");

    private FreshnessAndBulk() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = Long.parseLong(args[0]);
        HostAndPort redis = HostAndPort.from(System.getProperty("bench.redis"));
        SlowCatalog catalog = new SlowCatalog(20);
        refreshAhead(catalog, seconds);
        bulk(catalog, redis, seconds > 5 ? 500 : 50);
    }

    private static void refreshAhead(SlowCatalog catalog, long seconds) throws InterruptedException {
        List<Long> plain = new ArrayList<>();
        List<Long> refreshed = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long call = 0;
        while (System.nanoTime() < end) {
            long id = call++ % 4;
            long started = System.nanoTime();
            catalog.find(id);
            plain.add(System.nanoTime() - started);
            started = System.nanoTime();
            catalog.findRefreshed(id);
            refreshed.add(System.nanoTime() - started);
            Thread.sleep(2);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "refresh-ahead: %d reads each of 4 keys, ttl 1s, a 20 ms method, interleaved%n",
                plain.size());
        System.out.printf(Locale.ROOT, "%-24s %9s %9s %9s %9s %14s%n", "rule", "p50 (us)", "p99 (us)", "p99.9 (us)",
                "max (ms)", "method runs");
        row("ttl = 1s", plain, catalog.bodyRuns.get());
        row("ttl = 1s, refresh 50%", refreshed, catalog.refreshedBodyRuns.get());
        System.out.printf(Locale.ROOT, "p99 ratio refreshed / plain: %.3f; calls that ran the method in the caller:"
                        + " plain %.2f%%, refreshed (background runs included) %.2f%%%n",
                (double) percentile(refreshed, 0.99) / percentile(plain, 0.99),
                100.0 * catalog.bodyRuns.get() / plain.size(), 100.0 * catalog.refreshedBodyRuns.get() / refreshed.size());
    }

    private static void row(String name, List<Long> nanos, long runs) {
        System.out.printf(Locale.ROOT, "%-24s %9.0f %9.0f %9.0f %9.1f %14d%n", name, percentile(nanos, 0.50) / 1e3,
                percentile(nanos, 0.99) / 1e3, percentile(nanos, 0.999) / 1e3, percentile(nanos, 1.0) / 1e6, runs);
    }

    private static long percentile(List<Long> nanos, double fraction) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1 < 0 ? 0
                : Math.ceil(fraction * sorted.length) - 1)];
    }

    private static void bulk(SlowCatalog catalog, HostAndPort redis, int reads) {
        for (long id = 0; id < 200; id++) {
            catalog.findOne(id);
        }
        List<List<Long>> requests = new ArrayList<>();
        for (int i = 0; i < reads; i++) {
            List<Long> ids = new ArrayList<>();
            while (ids.size() < 50) {
                long id = ThreadLocalRandom.current().nextLong(200);
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
            requests.add(ids);
        }
        for (List<Long> ids : requests.subList(0, Math.min(20, reads))) { // warm both paths
            catalog.findMany(ids);
            ids.forEach(catalog::findOne);
        }
        long commandsBefore = commands(redis);
        long started = System.nanoTime();
        for (List<Long> ids : requests) {
            catalog.findMany(ids);
        }
        long bulkNanos = System.nanoTime() - started;
        long bulkCommands = commands(redis) - commandsBefore - 1;
        commandsBefore = commands(redis);
        started = System.nanoTime();
        for (List<Long> ids : requests) {
            for (Long id : ids) {
                catalog.findOne(id);
            }
        }
        long singleNanos = System.nanoTime() - started;
        long singleCommands = commands(redis) - commandsBefore - 1;
        System.out.println();
        System.out.printf(Locale.ROOT, "bulk reads: %d reads of 50 cached ids each%n", reads);
        System.out.printf(Locale.ROOT, "%-28s %18s %16s%n", "way", "Redis commands/read", "us/read");
        System.out.printf(Locale.ROOT, "%-28s %18.1f %16.0f%n", "bulk rule (findMany)", (double) bulkCommands / reads,
                bulkNanos / 1e3 / reads);
        System.out.printf(Locale.ROOT, "%-28s %18.1f %16.0f%n", "50 single-id calls (findOne)",
                (double) singleCommands / reads, singleNanos / 1e3 / reads);
        System.out.printf(Locale.ROOT, "bulk / single: commands %.3f, time %.3f%n",
                (double) bulkCommands / singleCommands, (double) bulkNanos / singleNanos);
    }

    /** Commands Redis has run so far (INFO counts itself, hence the -1 above). */
    private static long commands(HostAndPort redis) {
        try (Jedis jedis = new Jedis(redis.getHost(), redis.getPort())) {
            for (String line : jedis.info("stats").split("\r?\n")) {
                if (line.startsWith("total_commands_processed:")) {
                    return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        }
        throw new IllegalStateException("no total_commands_processed in INFO stats");
    }
}
