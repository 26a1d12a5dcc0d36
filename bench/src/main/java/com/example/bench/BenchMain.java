package com.example.bench;

import dev.cacheaside.testkit.RedisServer;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the benchmark docs/performance.md reports: starts a Redis (pinned with the single-thread forks to CPU 0
 * when taskset exists), writes the agent's rules for it, runs every variant in one JMH run per thread
 * count, and prints the table and ratios. {@code --smoke} runs each variant briefly, for CI. {@code --freshness}
 * runs only {@link FreshnessAndBulk}, refresh-ahead's latency and bulk reads' round trips. {@code --miss} runs only
 * {@link MissLatency}, a miss against hand-written cache-aside's; {@code --first-call} only {@link FirstCallRuns}.
 * {@code --near} runs only {@link InterleavedLatency}, whose near-cache hits are those of a copied and of a shared
 * value. {@code --discover} runs only {@link DiscoveryOverhead}, what a running discovery costs. {@code --attach}
 * runs only {@link AttachLatency}, the time {@code attach} takes into a running Spring Boot application
 * ({@code --baseline OTHER-AGENT.jar} alternates it with an older build).
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = java.util.Arrays.asList(args).contains("--smoke");
        Path root = Path.of("").toAbsolutePath();
        Path agentJar = root.resolve("agent/target/cache-aside-agent.jar");
        if (!Files.exists(agentJar)) {
            throw new IllegalStateException(agentJar + " is missing: build first with mvn -B -DskipTests package");
        }
        if (java.util.Arrays.asList(args).contains("--discover")) {
            discoveryOverhead(agentJar, smoke);
            return;
        }
        if (java.util.Arrays.asList(args).contains("--attach")) {
            try (RedisServer redis = RedisServer.startNew()) {
                int at = java.util.Arrays.asList(args).indexOf("--baseline");
                AttachLatency.run(root, redis.uri(), smoke ? 1 : 5,
                        at >= 0 && at + 1 < args.length ? Path.of(args[at + 1]).toAbsolutePath() : null);
            }
            return;
        }
        boolean pin = !smoke && Files.isExecutable(Path.of("/usr/bin/taskset"));
        if (pin) {
            System.setProperty("testkit.redis.taskset", "0");
        }
        try (RedisServer redis = RedisServer.startNew()) {
            Path config = Files.createTempFile("bench", ".conf");
            Files.writeString(config, String.join("\n",
                    "cache-aside {",
                    "  redis.uri = \"" + redis.uri() + "\"",
                    "  stats-interval = 0",
                    "  reload = false",
                    "  cache {",
                    "    cached { method = \"com.example.bench.Catalog#findCached(long)\", key = \"bench:agent:{0}\","
                            + " ttl = 1h }",
                    "    miss { method = \"com.example.bench.Catalog#findMiss(long)\", key = \"bench:miss:{0}\", ttl = 2s }",
                    "    near { method = \"com.example.bench.Catalog#findNear(long)\", key = \"bench:near:{0}\", ttl = 1h,"
                            + " near-cache { enabled = true, ttl = 1h } }",
                    "    price-tag { method = \"com.example.bench.Catalog#findPriceTag(long)\", key = \"bench:price:{0}\","
                            + " ttl = 1h, near-cache { enabled = true, ttl = 1h } }",
                    "    uncounted { method = \"com.example.bench.Catalog#findUncounted(long)\","
                            + " key = \"bench:uncounted:{0}\", ttl = 1h, metrics = false }",
                    "    near-uncounted { method = \"com.example.bench.Catalog#findNearUncounted(long)\","
                            + " key = \"bench:near-uncounted:{0}\", ttl = 1h, metrics = false,"
                            + " near-cache { enabled = true, ttl = 1h } }",
                    "    idle { method = \"com.example.bench.Catalog#findIdle(long)\", mode = off }",
                    "    sized { method = \"com.example.bench.Catalog#findSized(long, int)\","
                            + " key = \"bench:sized:{0}:{1}\", ttl = 1h, max-value-size = 2MiB }",
                    FreshnessAndBulk.RULES,
                    "    first-call { method = \"com.example.bench.SlowLookup#find(long)\", key = \"bench:first:{0}\","
                            + " ttl = 1m }",
                    "  }",
                    "}", ""));
            String[] jvmArgs = {"-javaagent:" + agentJar + "=" + config, "-Dbench.redis=127.0.0.1:" + redis.port(),
                    "-Xms512m", "-Xmx512m"};
            String pinnedJava = pin ? pinnedJava() : null;
            if (java.util.Arrays.asList(args).contains("--miss")) {
                inItsOwnJvm(MissLatency.class, jvmArgs, pinnedJava, smoke ? "3" : "30", smoke ? "200" : "2000");
                return;
            }
            if (java.util.Arrays.asList(args).contains("--first-call")) {
                FirstCallRuns.run(jvmArgs, smoke ? 1 : 7);
                return;
            }
            if (java.util.Arrays.asList(args).contains("--near")) {
                interleaved(jvmArgs, pinnedJava, smoke);
                return;
            }
            if (java.util.Arrays.asList(args).contains("--freshness")) {
                inItsOwnJvm(FreshnessAndBulk.class, jvmArgs, null, smoke ? "2" : "20");
                return;
            }

            Map<String, RunResult> single = run("HitBenchmark", 1, jvmArgs, pinnedJava, smoke, true);
            String peers = "HitBenchmark\\.(agentHit|handWrittenHit|springHit|bareGet)$";
            Map<String, RunResult> two = run(peers, 2, jvmArgs, null, smoke, false);
            Map<String, RunResult> eight = run(peers, 8, jvmArgs, null, smoke, false);
            Map<String, RunResult> sizes = run("SizeBenchmark", 1, jvmArgs, pinnedJava, smoke, false);
            print(single, two, eight, sizes, pin);
            interleaved(jvmArgs, pinnedJava, smoke);
            inItsOwnJvm(MissLatency.class, jvmArgs, pinnedJava, smoke ? "3" : "30", smoke ? "200" : "2000");
            FirstCallRuns.run(jvmArgs, smoke ? 1 : 7);
            inItsOwnJvm(FreshnessAndBulk.class, jvmArgs, null, smoke ? "2" : "20");
            ClassLoadingCost.run(agentJar, redis.uri(), smoke ? 2_000 : 20_000, smoke ? 1 : 5);
            StartupCost.run(root, redis.uri(), smoke ? 1 : 5);
        }
        discoveryOverhead(agentJar, smoke);
    }

    /** {@link DiscoveryOverhead} in a JVM whose discovery runs from start-up; it needs no Redis. */
    private static void discoveryOverhead(Path agentJar, boolean smoke) throws Exception {
        Path out = Files.createTempFile("discovery", ".conf");
        try {
            inItsOwnJvm(DiscoveryOverhead.class, new String[] {"-javaagent:" + agentJar
                    + "=discover:packages=com.example.bench.watched;for=60m;out=" + out, "-Xms512m", "-Xmx512m"},
                    null, smoke ? "3" : "30", smoke ? "2000" : "20000");
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Map<String, RunResult> run(String include, int threads, String[] jvmArgs, String java,
                                              boolean smoke, boolean gc) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("com.example.bench." + include)
                .threads(threads)
                .forks(1)
                .jvmArgsAppend(jvmArgs)
                .warmupIterations(smoke ? 1 : 3)
                .warmupTime(TimeValue.milliseconds(smoke ? 200 : 1000))
                .measurementIterations(smoke ? 1 : 5)
                .measurementTime(TimeValue.milliseconds(smoke ? 200 : 1000))
                .shouldFailOnError(true);
        if (java != null) {
            options.jvm(java);
        }
        if (gc) {
            options.addProfiler(GCProfiler.class);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, RunResult> byName = new LinkedHashMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark().replaceAll(".*\\.", "");
            String size = result.getParams().getParam("bytes");
            byName.put(size == null ? label : label + "@" + size, result);
        }
        return byName;
    }

    /** The interleaved single-thread latency run, in a JVM of its own with the agent, pinned like the forks. */
    private static void interleaved(String[] jvmArgs, String pinnedJava, boolean smoke) throws Exception {
        inItsOwnJvm(InterleavedLatency.class, jvmArgs, pinnedJava, smoke ? "3" : "30", smoke ? "200" : "2000");
    }

    /** Runs a harness's main in a JVM of its own with the agent; its output goes to ours. */
    private static void inItsOwnJvm(Class<?> harness, String[] jvmArgs, String pinnedJava, String... arguments)
            throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(pinnedJava != null ? pinnedJava : Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(java.util.Arrays.asList(jvmArgs));
        command.addAll(java.util.List.of("-cp", Path.of(BenchMain.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).toString(), harness.getName()));
        command.addAll(java.util.Arrays.asList(arguments));
        System.out.println();
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(harness.getSimpleName() + " failed with exit code " + process.exitValue());
        }
    }

    /** A java launcher that pins the fork to CPU 0, next to the pinned redis-server. */
    private static String pinnedJava() throws IOException {
        Path script = Files.createTempFile("pinned-java", ".sh",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(script, "#!/bin/sh\nexec taskset -c 0 \"" + Path.of(System.getProperty("java.home"), "bin",
                "java") + "\" \"$@\"\n");
        return script.toString();
    }

    private static void print(Map<String, RunResult> single, Map<String, RunResult> two, Map<String, RunResult> eight,
                              Map<String, RunResult> sizes, boolean pinned) {
        System.out.println();
        System.out.println("cache hit of a ~1 KB product, one JVM with the agent, one Redis"
                + (pinned ? " (fork and redis-server pinned to CPU 0 for 1 thread)" : ""));
        String format = "  %-22s %14s %12s %14s %14s%n";
        System.out.printf(Locale.ROOT, format, "variant", "1 thread", "alloc B/op", "2 threads", "8 threads");
        for (String name : single.keySet()) {
            RunResult one = single.get(name);
            String unit = one.getPrimaryResult().getScoreUnit().startsWith("ns") ? "ns" : "us";
            System.out.printf(Locale.ROOT, format, name,
                    String.format(Locale.ROOT, "%.2f±%.2f %s", one.getPrimaryResult().getScore(),
                            one.getPrimaryResult().getScoreError(), unit),
                    String.format(Locale.ROOT, "%.0f", allocation(one)),
                    throughput(two.get(name), 2), throughput(eight.get(name), 8));
        }
        double a = score(single, "agentHit");
        double b = score(single, "handWrittenHit");
        double c = score(single, "springHit");
        double d = score(single, "bareGet");
        System.out.printf(Locale.ROOT, "%n  ratios at 1 thread: agent/hand-written %.3f, agent/bare GET %.3f,"
                + " agent/Spring %.3f, Spring/hand-written %.3f%n", a / b, a / d, a / c, c / b);
        System.out.printf(Locale.ROOT, "  allocation per hit: agent %.0f B, hand-written %.0f B (ratio %.2f)%n",
                allocation(single.get("agentHit")), allocation(single.get("handWrittenHit")),
                allocation(single.get("agentHit")) / allocation(single.get("handWrittenHit")));
        System.out.printf(Locale.ROOT, "  idle instrumented method: %.1f ns over an uninstrumented one%n",
                score(single, "idleInstrumented") - score(single, "uninstrumented"));
        System.out.printf(Locale.ROOT, "  metrics' cost: Redis hit with/without metrics %.3f; near-cache hit with/without"
                        + " metrics %.3f (%+.0f ns)%n",
                score(single, "agentHit") / score(single, "agentHitWithoutMetrics"),
                score(single, "nearHit") / score(single, "nearHitWithoutMetrics"),
                score(single, "nearHit") - score(single, "nearHitWithoutMetrics"));
        System.out.println();
        System.out.println("hit latency by value size (us/op, 1 thread)");
        System.out.printf(Locale.ROOT, "  %-16s %12s %12s %12s%n", "variant", "100 B", "10 KB", "1 MB");
        for (String variant : new String[] {"agentHit", "handWrittenHit", "bareGet"}) {
            System.out.printf(Locale.ROOT, "  %-16s %12.2f %12.2f %12.2f%n", variant, score(sizes, variant + "@100"),
                    score(sizes, variant + "@10000"), score(sizes, variant + "@1000000"));
        }
    }

    private static double score(Map<String, RunResult> results, String name) {
        RunResult result = results.get(name);
        return result == null ? Double.NaN : result.getPrimaryResult().getScore();
    }

    private static String throughput(RunResult result, int threads) {
        if (result == null) {
            return "-";
        }
        double microsPerOp = result.getPrimaryResult().getScore();
        return String.format(Locale.ROOT, "%.0f ops/s", threads * 1_000_000 / microsPerOp);
    }

    private static double allocation(RunResult result) {
        if (result == null) {
            return Double.NaN;
        }
        for (Map.Entry<String, Result> secondary : result.getSecondaryResults().entrySet()) {
            if (secondary.getKey().endsWith("gc.alloc.rate.norm")) {
                return secondary.getValue().getScore();
            }
        }
        return Double.NaN;
    }
}
