package dev.cacheaside.agent.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two JVMs, eight threads each, reading and writing 200 rows of one shared database through the agent
 * for a while; then writes stop, and every entry left in Redis must equal its row. Run with and without
 * leases; the figures go to the README's consistency section.
 */
class RandomizedConsistencyIT {

    private static final int KEYS = 200;
    private static final long MILLIS = Long.getLong("consistency.millis", 15_000);
    private static final Pattern WORKLOAD = Pattern.compile("reads=(\\d+) writes=(\\d+) staleReads=(\\d+)");
    private static final String RULES = String.join("\n",
            "cache { row { method = \"com.example.fixture.RowStore#read(int)\", key = \"row:{0}\", ttl = 10m } }",
            "evict { row-write { method = \"com.example.fixture.RowStore#write\", keys = [\"row:{0}\"] } }");

    static RedisFixture redis;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRedis() {
        redis = new RedisFixture();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void withLeases_noStaleEntryOutlivesTheWrites() throws Exception {
        Result result = run(true);
        assertEquals(0, result.staleEntries, "stale entries after quiescence: " + result);
    }

    @Test
    void withoutLeases_forComparison() throws Exception {
        Result result = run(false);
        assertTrue(result.reads > 0, result.toString());
    }

    private record Result(boolean leases, long reads, long writes, long staleReads, int cachedEntries,
                          int staleEntries) {
        @Override
        public String toString() {
            return String.format("leases %s: 2 JVMs x 8 threads, %d keys, %d s: %d reads, %d writes, stale reads seen "
                            + "during the run %d (%.3f%%), entries cached at the end %d, stale entries after "
                            + "quiescence: %d", leases ? "on" : "off", KEYS, MILLIS / 1000, reads, writes, staleReads,
                    100.0 * staleReads / Math.max(1, reads), cachedEntries, staleEntries);
        }
    }

    private Result run(boolean leases) throws Exception {
        redis.flush();
        try (SharedDatabase database = new SharedDatabase()) {
            Path config = redis.config(dir, "defaults.lease = " + leases + "\n" + RULES);
            String port = "-Dfixture.db.port=" + database.port();
            try (ForkedApp first = ForkedApp.start(Jdks.current(), config, port);
                 ForkedApp second = ForkedApp.start(Jdks.current(), config, port)) {
                String command = "workload 8 " + MILLIS + " " + KEYS + " 20";
                CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> first.command(command));
                CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> second.command(command));
                long[] totals = new long[3];
                for (String answer : new String[] {a.get(), b.get()}) {
                    Matcher matcher = WORKLOAD.matcher(answer);
                    assertTrue(matcher.find(), answer);
                    for (int i = 0; i < 3; i++) {
                        totals[i] += Long.parseLong(matcher.group(i + 1));
                    }
                }
                Thread.sleep(1000);
                int cached = 0;
                int stale = 0;
                for (int key = 0; key < KEYS; key++) {
                    String entry = redis.get("cache-aside:row:" + key);
                    if (entry == null) {
                        continue;
                    }
                    cached++;
                    long version = Long.parseLong(entry.replaceAll(".*\"version\":(\\d+).*", "$1"));
                    if (version != database.row(key).version()) {
                        stale++;
                    }
                }
                Result result = new Result(leases, totals[0], totals[1], totals[2], cached, stale);
                System.out.println("[consistency] " + result);
                return result;
            }
        }
    }
}
