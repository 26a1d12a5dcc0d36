package dev.cacheaside.agent.it;

import dev.cacheaside.testkit.FaultProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded, randomized soak with faults: two JVMs, 32 threads each, read and write the rows of one shared
 * database through the agent, which reaches a real Redis through a {@link FaultProxy}. Meanwhile the test
 * injects faults at random (delay, drop, half-open, slow drip, garbage, partition, reset, Redis frozen,
 * Redis restarted). After quiescence: no entry in Redis and no read through either JVM (near cache
 * included) differs from the database, no application call threw, none spent more than two seconds in the
 * agent (the calls over {@code timeout} + 50 ms are counted and reported by the fault they met), and heap
 * and thread count are where they were.
 *
 * <p>{@code -Dsoak.millis=600000} lengthens it; {@code -Dsoak.seed=N} replays a run's choice of faults
 * (their timing against the workload differs from run to run).
 */
class SoakIT {

    private static final int KEYS = 200;
    private static final int THREADS_PER_JVM = 32;
    private static final int WRITE_PERCENT = 10;
    private static final long TIMEOUT_MILLIS = 200;
    private static final long LIMIT_MILLIS = TIMEOUT_MILLIS + 50;
    private static final long WARM_UP_MILLIS = 5_000;
    private static final long MILLIS = Long.getLong("soak.millis", 120_000);
    /**
     * The ceiling every call keeps today. The contract's {@code timeout} + 50 ms is not kept under these
     * faults (docs/reliability.md says by how much and why); {@code -Dsoak.strict=true} asserts it.
     */
    private static final long CEILING_MILLIS = Long.getLong("soak.maxCallMillis", 2_000);
    private static final boolean STRICT = Boolean.getBoolean("soak.strict");
    private static final long SEED = Long.getLong("soak.seed", System.nanoTime());
    private static final long HEAP_GROWTH_LIMIT = 32L << 20;
    private static final int THREAD_GROWTH_LIMIT = 4;
    private static final Pattern SOAK = Pattern.compile("reads=(\\d+) nearReads=(\\d+) writes=(\\d+) exceptions=(\\d+)"
            + " maxOverheadMicros=(\\d+) maxOverheadOp=(\\S+) maxCallMicros=(\\d+) over=(\\d+) errors=(\\[.*?\\]) slow=(\\[.*?\\]) stalls=max=(\\d+) over=(.*)");
    private static final Pattern VITALS = Pattern.compile("VITALS heap=(\\d+) threads=(\\d+)");
    private static final Pattern CHECK = Pattern.compile("CHECK stale=(\\d+) staleNear=(\\d+) exceptions=(\\d+)");

    /** When a fault was on, in milliseconds of the wall clock both the test and the forked JVMs read. */
    private record Window(String kind, long from, long to) {
    }

    @TempDir
    Path dir;

    @Test
    void soak_withFaults_leavesNoStaleEntryNoStaleReadNoExceptionAndNoHungCall() throws Exception {
        System.out.println("[soak] seed " + SEED + " (-Dsoak.seed=" + SEED + " replays the faults), "
                + MILLIS / 1000 + " s");
        try (RedisFixture redis = new RedisFixture();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", redis.server.port());
             SharedDatabase database = new SharedDatabase()) {
            Path config = RedisFixture.writeConfig(dir, String.join("\n",
                    "cache-aside {",
                    "  redis { uri = \"" + proxy.uri() + "\", timeout = " + TIMEOUT_MILLIS + "ms,"
                            + " retry-interval = 500ms }",
                    "  stats-interval = 0",
                    "  cache {",
                    "    row { method = \"com.example.fixture.RowStore#read(int)\", key = \"row:{0}\", ttl = 10m }",
                    "    near { method = \"com.example.fixture.RowStore#readNear(int)\", key = \"near:{0}\","
                            + " ttl = 10m, near-cache.enabled = true }",
                    "  }",
                    "  evict { row-write { method = \"com.example.fixture.RowStore#write\","
                            + " keys = [\"row:{0}\", \"near:{0}\"] } }",
                    "}", ""));
            String[] options = {"-Dfixture.db.port=" + database.port(), "-Xmx256m"};
            try (ForkedApp first = ForkedApp.start(Jdks.current(), config, options);
                 ForkedApp second = ForkedApp.start(Jdks.current(), config, options)) {
                List<ForkedApp> apps = List.of(first, second);
                soak(apps, WARM_UP_MILLIS, 0);
                List<long[]> before = new ArrayList<>();
                for (ForkedApp app : apps) {
                    before.add(vitals(app));
                }

                List<CompletableFuture<String>> running = new ArrayList<>();
                for (int i = 0; i < apps.size(); i++) {
                    ForkedApp app = apps.get(i);
                    long seed = SEED + i + 1;
                    running.add(CompletableFuture.supplyAsync(() -> app.command(soakLine(MILLIS, seed),
                            Duration.ofMillis(MILLIS + 120_000))));
                }
                List<Window> windows = new ArrayList<>();
                Map<String, Integer> faults = injectFaults(redis, proxy, System.currentTimeMillis() + MILLIS, windows);
                long[] totals = new long[5];
                long maxOverheadMicros = 0;
                String slowest = "-";
                long maxCallMicros = 0;
                List<String> errors = new ArrayList<>();
                List<String> slowCalls = new ArrayList<>();
                long maxStall = 0;
                for (CompletableFuture<String> answer : running) {
                    String line = answer.get();
                    Matcher m = SOAK.matcher(line);
                    assertTrue(m.find(), line);
                    totals[0] += Long.parseLong(m.group(1));
                    totals[1] += Long.parseLong(m.group(2));
                    totals[2] += Long.parseLong(m.group(3));
                    totals[3] += Long.parseLong(m.group(4));
                    totals[4] += Long.parseLong(m.group(8));
                    if (Long.parseLong(m.group(5)) > maxOverheadMicros) {
                        maxOverheadMicros = Long.parseLong(m.group(5));
                        slowest = m.group(6);
                    }
                    maxCallMicros = Math.max(maxCallMicros, Long.parseLong(m.group(7)));
                    errors.add(m.group(9));
                    String listed = m.group(10).replaceAll("[\\[\\]]", "").trim();
                    if (!listed.isEmpty()) {
                        slowCalls.addAll(List.of(listed.split(", ")));
                    }
                    maxStall = Math.max(maxStall, Long.parseLong(m.group(11)));
                    String stalled = m.group(12).replaceAll("[\\[\\]]", "").trim();
                    if (!stalled.isEmpty()) {
                        for (String stall : stalled.split(", ")) {
                            String[] parts = stall.split("\\+");
                            long from = Long.parseLong(parts[0]);
                            windows.add(new Window("stall", from, from + Long.parseLong(parts[1])));
                        }
                    }
                }

                long quiet = System.nanoTime();
                int[] stale = new int[1];
                boolean converged = RedisFixture.await(() -> (stale[0] = staleEntries(redis, database)) == 0,
                        Duration.ofSeconds(20));
                long convergedMillis = Duration.ofNanos(System.nanoTime() - quiet).toMillis();
                int[] staleReads = new int[3];
                List<String> checks = new ArrayList<>();
                for (ForkedApp app : apps) {
                    String line = app.command("check " + KEYS, Duration.ofSeconds(120));
                    checks.add(line);
                    Matcher m = CHECK.matcher(line);
                    assertTrue(m.find(), line);
                    for (int i = 0; i < 3; i++) {
                        staleReads[i] += Integer.parseInt(m.group(i + 1));
                    }
                }
                List<long[]> after = new ArrayList<>();
                for (ForkedApp app : apps) {
                    after.add(vitals(app));
                }

                String report = String.format("[soak] seed %d, %d s, 2 JVMs x %d threads, %d keys, %d%% writes:"
                                + " %,d reads (%,d near-cached), %,d writes; faults %s; exceptions in application"
                                + " threads %d; slowest call's time in the agent %d ms (%s), calls over %d ms: %d,"
                                + " slowest call %d ms; stale entries after quiescence %d (converged in %d ms);"
                                + " stale reads after quiescence %d, from the near cache %d; heap after GC %s;"
                                + " threads %s",
                        SEED, MILLIS / 1000, THREADS_PER_JVM, KEYS, WRITE_PERCENT, totals[0] + totals[1], totals[1],
                        totals[2], faults, totals[3], maxOverheadMicros / 1000, slowest, LIMIT_MILLIS, totals[4],
                        maxCallMicros / 1000, stale[0], convergedMillis, staleReads[0], staleReads[1],
                        change(before, after, 0, 1 << 20, "MB"), change(before, after, 1, 1, ""));
                System.out.println(report);
                System.out.println("[soak] longest stall of a sleeping thread in the fixture JVMs " + maxStall + " ms");
                System.out.println("[soak] calls over " + LIMIT_MILLIS + " ms by the fault they met (count, slowest"
                        + " ms): " + bySlowCause(slowCalls, windows));
                System.out.println("[soak] errors " + errors + "; checks " + checks);

                assertTrue(converged, "stale entries in Redis after quiescence: " + stale[0] + "; " + report);
                assertEquals(0, staleReads[0] + staleReads[1] + staleReads[2], checks + "; " + report);
                assertEquals(0, totals[3], "exceptions in application threads " + errors + "; " + report);
                assertTrue(maxOverheadMicros / 1000 <= CEILING_MILLIS, "a call spent over " + CEILING_MILLIS
                        + " ms in the agent; " + report);
                if (STRICT) {
                    assertEquals(0, totals[4], "calls over timeout + 50 ms; " + report);
                }
                for (int i = 0; i < apps.size(); i++) {
                    assertTrue(after.get(i)[0] <= before.get(i)[0] + HEAP_GROWTH_LIMIT, "heap grew; " + report);
                    assertTrue(after.get(i)[1] <= before.get(i)[1] + THREAD_GROWTH_LIMIT, "threads grew; " + report);
                }
            }
        }
    }

    private static String soakLine(long millis, long seed) {
        return "soak " + THREADS_PER_JVM + " " + millis + " " + KEYS + " " + WRITE_PERCENT + " " + seed + " "
                + LIMIT_MILLIS;
    }

    private static void soak(List<ForkedApp> apps, long millis, long seed) throws Exception {
        List<CompletableFuture<String>> running = new ArrayList<>();
        for (ForkedApp app : apps) {
            running.add(CompletableFuture.supplyAsync(() -> app.command(soakLine(millis, seed),
                    Duration.ofMillis(millis + 60_000))));
        }
        for (CompletableFuture<String> answer : running) {
            assertTrue(answer.get().startsWith("SOAK "), answer.get());
        }
    }

    /** Switches random faults on and off until {@code end}; answers how often each kind was applied. */
    private static Map<String, Integer> injectFaults(RedisFixture redis, FaultProxy proxy, long end,
                                                     List<Window> windows) {
        Random random = new Random(SEED);
        Map<String, Integer> applied = new TreeMap<>();
        String[] kinds = {"delay", "drop", "half-open-up", "half-open-down", "drip", "garbage", "partition", "reset",
                "redis-frozen", "redis-restarted"};
        while (System.currentTimeMillis() + 4_000 < end) {
            ForkedApp.sleep(500 + random.nextInt(2500));
            String kind = kinds[random.nextInt(kinds.length)];
            long lasts = 300 + random.nextInt(2700);
            applied.merge(kind, 1, Integer::sum);
            long from = System.currentTimeMillis();
            switch (kind) {
                case "delay" -> proxy.delay(Duration.ofMillis(5 + random.nextInt(60)));
                case "drop" -> proxy.drop();
                case "half-open-up" -> proxy.halfOpen(FaultProxy.Direction.UPSTREAM);
                case "half-open-down" -> proxy.halfOpen(FaultProxy.Direction.DOWNSTREAM);
                case "drip" -> proxy.drip(Duration.ofMillis(1 + random.nextInt(5)));
                case "garbage" -> proxy.garbage();
                case "partition" -> proxy.partition();
                case "reset" -> proxy.reset();
                case "redis-frozen" -> redis.server.freeze();
                default -> redis.server.stop();
            }
            ForkedApp.sleep(lasts);
            proxy.heal();
            redis.server.thaw();
            redis.server.start();
            windows.add(new Window(kind, from, System.currentTimeMillis()));
        }
        return applied;
    }

    /** Entries in Redis whose version differs from their row's; lease markers (a NUL first) are not entries. */
    private static int staleEntries(RedisFixture redis, SharedDatabase database) {
        int stale = 0;
        for (int key = 0; key < KEYS; key++) {
            for (String rule : new String[] {"row:", "near:"}) {
                String entry = redis.get("cache-aside:" + rule + key);
                if (entry == null || entry.startsWith("\0")) {
                    continue;
                }
                long version = Long.parseLong(entry.replaceAll(".*\"version\":(\\d+).*", "$1"));
                if (version != database.row(key).version()) {
                    stale++;
                }
            }
        }
        return stale;
    }

    /**
     * Groups slow calls ({@code startMillis+agentMillis:op}) by the fault they overlapped, or that ended
     * within a second before they began ("after-..."), else "none"; answers each group's count and maximum.
     */
    private static Map<String, String> bySlowCause(List<String> slowCalls, List<Window> windows) {
        Map<String, long[]> groups = new TreeMap<>();
        for (String call : slowCalls) {
            String[] parts = call.split("[+:]");
            long start = Long.parseLong(parts[0]);
            long millis = Long.parseLong(parts[1]);
            String cause = "none";
            for (Window window : windows) {
                boolean overlaps = window.from() <= start + millis && start <= window.to();
                if (overlaps && !window.kind().equals("stall")) {
                    cause = window.kind();
                } else if (overlaps && (cause.equals("none") || cause.startsWith("after-"))) {
                    cause = "stall";
                } else if (cause.equals("none") && window.to() < start && start - window.to() < 1000) {
                    cause = "after-" + window.kind();
                }
            }
            long[] group = groups.computeIfAbsent(cause + "(" + parts[2] + ")", c -> new long[2]);
            group[0]++;
            group[1] = Math.max(group[1], millis);
        }
        Map<String, String> shown = new TreeMap<>();
        groups.forEach((cause, group) -> shown.put(cause, group[0] + " calls, max " + group[1]));
        return shown;
    }

    private static long[] vitals(ForkedApp app) {
        String line = app.command("vitals");
        Matcher m = VITALS.matcher(line);
        assertTrue(m.find(), line);
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private static String change(List<long[]> before, List<long[]> after, int field, long unit, String suffix) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < before.size(); i++) {
            text.append(i == 0 ? "" : ", ").append("JVM ").append(i + 1).append(' ')
                    .append(String.format("%.1f", (double) before.get(i)[field] / unit)).append(suffix).append(" -> ")
                    .append(String.format("%.1f", (double) after.get(i)[field] / unit)).append(suffix);
        }
        return text.toString();
    }
}
