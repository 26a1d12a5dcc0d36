package dev.cacheaside.demo;

import dev.cacheaside.testkit.RedisServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's demo: test-app without the agent, then with it, the same seeded traffic against each,
 * and a table of what changed. Uses the Redis at {@code CACHE_ASIDE_REDIS_URI}, or starts one.
 */
public final class DemoMain {

    private static final Pattern STATS = Pattern.compile("stats rule '([^']+)': (.*)");
    private static final Pattern COUNTER = Pattern.compile("([a-z-]+)=(\\d+)");
    private static final int WARM_UP = 300;

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        int requests = 3000;
        Path root = Path.of("").toAbsolutePath();
        for (int i = 0; i < args.length - 1; i += 2) {
            if (args[i].equals("--requests")) {
                requests = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("--root")) {
                root = Path.of(args[i + 1]).toAbsolutePath().normalize();
            }
        }
        Path agentJar = existing(root.resolve("agent/target/cache-aside-agent.jar"));
        Path appJar = existing(root.resolve("test-app/target/test-app.jar"));
        Path config = existing(root.resolve("agent.conf"));
        Path logs = Files.createDirectories(root.resolve("demo/target"));

        String givenUri = System.getenv("CACHE_ASIDE_REDIS_URI");
        RedisServer redis = givenUri == null || givenUri.isBlank() ? RedisServer.startNew() : null;
        String redisUri = redis != null ? redis.uri() : givenUri;
        System.out.println("cache-aside demo: test-app, " + WARM_UP + " warm-up + " + requests
                + " requests of seeded traffic, without and with the agent; Redis at "
                + (redis != null ? redisUri + " (started for the demo)" : mask(redisUri)));
        try {
            // a Redis that outlives the demo may hold entries of an earlier run, whose database started alike
            // but was then changed: a prefix of this run's own keeps them apart
            List<String> agentOptions = redis != null ? List.of()
                    : List.of("-Dcache-aside.key-prefix=cache-aside-demo-" + System.currentTimeMillis() + ":");
            Run without = run("without", appJar, null, config, redisUri, List.of(), logs, requests);
            Run with = run("with", appJar, agentJar, config, redisUri, agentOptions, logs, requests);
            print(without, with);
            if (!without.fresh || !with.fresh) {
                System.out.println("FAILED: a read after an update returned the old price");
                System.exit(1);
            }
            if (with.hits == 0) {
                System.out.println("FAILED: the agent served no hit; see " + logs.resolve("demo-with-agent.log"));
                System.exit(1);
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    private static final class Run {
        long calls;
        long sqlQueries;
        long hits;
        long misses;
        long stores;
        long evictions;
        double meanMillis;
        double p50Millis;
        double p99Millis;
        boolean fresh;
    }

    private static Run run(String label, Path appJar, Path agentJar, Path config, String redisUri,
                           List<String> agentOptions, Path logs, int requests) throws Exception {
        Path log = logs.resolve("demo-" + label + "-agent.log");
        System.out.println("  running test-app " + label + " the agent (log: " + log + ")");
        Run run = new Run();
        try (ShopProcess shop = ShopProcess.start(appJar, agentJar, config, redisUri, agentOptions, log)) {
            Workload workload = new Workload(shop.port());
            workload.resetStats();
            workload.run(WARM_UP, 7);
            List<Long> latencies = workload.run(requests, 42);
            run.fresh = workload.readAfterUpdateIsFresh(17);
            run.calls = WARM_UP + requests + 3;
            run.sqlQueries = workload.sqlQueries();
            run.meanMillis = Workload.mean(latencies) / 1e6;
            run.p50Millis = Workload.percentile(latencies, 0.50) / 1e6;
            run.p99Millis = Workload.percentile(latencies, 0.99) / 1e6;
            if (agentJar != null) {
                readAgentStats(shop, run);
            }
        }
        return run;
    }

    /** Sums the agent's per-rule counters from its next stats lines. */
    private static void readAgentStats(ShopProcess shop, Run run) throws InterruptedException {
        int seen = shop.agentLines().size();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && shop.agentLines().size() == seen) {
            Thread.sleep(100);
        }
        Thread.sleep(300);
        Map<String, Map<String, Long>> latest = new HashMap<>();
        for (String line : shop.agentLines()) {
            Matcher rule = STATS.matcher(line);
            if (rule.find()) {
                Map<String, Long> counters = new HashMap<>();
                Matcher counter = COUNTER.matcher(rule.group(2));
                while (counter.find()) {
                    counters.put(counter.group(1), Long.parseLong(counter.group(2)));
                }
                latest.put(rule.group(1), counters);
            }
        }
        for (Map<String, Long> counters : latest.values()) {
            run.hits += counters.getOrDefault("hits", 0L);
            run.misses += counters.getOrDefault("misses", 0L);
            run.stores += counters.getOrDefault("stores", 0L);
            run.evictions += counters.getOrDefault("evictions", 0L);
        }
    }

    private static void print(Run without, Run with) {
        String format = "  %-26s %16s %16s%n";
        System.out.println();
        System.out.printf(Locale.ROOT, format, "", "without agent", "with agent");
        System.out.printf(Locale.ROOT, format, "HTTP calls", without.calls, with.calls);
        System.out.printf(Locale.ROOT, format, "SQL queries", without.sqlQueries, with.sqlQueries);
        System.out.printf(Locale.ROOT, format, "cache hits", "-", with.hits);
        System.out.printf(Locale.ROOT, format, "cache misses", "-", with.misses);
        System.out.printf(Locale.ROOT, format, "hit ratio", "-", String.format(Locale.ROOT, "%.1f%%",
                100.0 * with.hits / Math.max(1, with.hits + with.misses)));
        System.out.printf(Locale.ROOT, format, "entries stored", "-", with.stores);
        System.out.printf(Locale.ROOT, format, "entries evicted", "-", with.evictions);
        System.out.printf(Locale.ROOT, format, "mean latency (ms)", millis(without.meanMillis), millis(with.meanMillis));
        System.out.printf(Locale.ROOT, format, "p50 latency (ms)", millis(without.p50Millis), millis(with.p50Millis));
        System.out.printf(Locale.ROOT, format, "p99 latency (ms)", millis(without.p99Millis), millis(with.p99Millis));
        System.out.printf(Locale.ROOT, format, "read after update fresh", without.fresh ? "yes" : "NO",
                with.fresh ? "yes" : "NO");
        System.out.printf(Locale.ROOT, "%n  SQL queries saved: %.1f%%; mean latency %.1fx lower%n",
                100.0 * (without.sqlQueries - with.sqlQueries) / Math.max(1, without.sqlQueries),
                without.meanMillis / Math.max(1e-9, with.meanMillis));
    }

    private static String millis(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String mask(String uri) {
        return uri.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@");
    }

    private static Path existing(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing: build first with mvn -B -DskipTests package");
        }
        return path;
    }
}
