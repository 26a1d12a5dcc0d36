package com.example.bench;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How long {@code attach} takes into a running Spring Boot application: starts the Spring Boot 4 fixture
 * (web mode, JPA, H2) in a fresh JVM per round, exercises it until its classes are loaded, then runs
 * {@code java -jar cache-aside-agent.jar attach PID conf} with rules on its repository and service while
 * the application keeps calling {@code CatalogService#productDetails}. Measured from launching the command
 * to (a) the command's exit and (b) the first cached answer: the entry of the call's key in Redis, after
 * which a call must be a hit (its body does not run). Given another agent jar as a baseline (an older
 * build), each round attaches both, each into an application of its own, alternating, and prints both.
 */
public final class AttachLatency {

    private static final String SKU = "SKU-1";
    private static final String KEY = "cache-aside:details:" + SKU;

    private AttachLatency() {
    }

    /**
     * On its own: {@code java -cp bench/target/cache-aside-bench.jar com.example.bench.AttachLatency [rounds]
     * [baseline-agent.jar]}.
     */
    public static void main(String[] args) throws Exception {
        try (dev.cacheaside.testkit.RedisServer redis = dev.cacheaside.testkit.RedisServer.startNew()) {
            run(Path.of("").toAbsolutePath(), redis.uri(), args.length > 0 ? Integer.parseInt(args[0]) : 5,
                    args.length > 1 ? Path.of(args[1]).toAbsolutePath() : null);
        }
    }

    /** Prints the medians of {@code rounds} attaches of this checkout's agent, and of the baseline's when given. */
    static void run(Path root, String redisUri, int rounds, Path baselineJar) throws Exception {
        Path appJar = root.resolve("fixtures/spring-boot-app/target/spring-boot-app.jar");
        Path agentJar = root.resolve("agent/target/cache-aside-agent.jar");
        if (!Files.exists(appJar)) {
            throw new IllegalStateException(appJar + " is missing: build first with mvn -B -DskipTests package");
        }
        Path config = Files.createTempFile("attach", ".conf");
        String b = "com.example.boot.";
        Files.writeString(config, String.join("\n",
                "cache-aside {",
                "  redis.uri = \"" + redisUri + "\"",
                "  stats-interval = 0",
                "  cache {",
                "    product-details { method = \"" + b + "CatalogService#productDetails(String)\","
                        + " key = \"details:{0}\" }",
                "    product-by-sku { method = \"" + b + "ProductRepository#findBySku(String)\", key = \"sku:{0}\" }",
                "    category-by-id { method = \"" + b + "CategoryRepository#findById\", key = \"category:{0}\" }",
                "  }",
                "  evict {",
                "    product-price { method = \"" + b + "CatalogService#changePrice\", keys = [\"details:{0}\"] }",
                "  }",
                "}", ""));
        HostAndPort redis = HostAndPort.from(redisUri.replace("redis://", ""));
        List<Path> jars = baselineJar == null ? List.of(agentJar) : List.of(baselineJar, agentJar);
        double[][][] times = new double[jars.size()][3][rounds];
        long[] classes = new long[rounds * jars.size()];
        for (int round = 0; round < rounds; round++) {
            for (int jar = 0; jar < jars.size(); jar++) {
                try (Jedis jedis = new Jedis(redis.getHost(), redis.getPort())) {
                    jedis.flushAll();
                    double[] measured = attachOnce(appJar, jars.get(jar), config, jedis, classes,
                            round * jars.size() + jar);
                    for (int i = 0; i < 3; i++) {
                        times[jar][i][round] = measured[i];
                    }
                    System.out.printf(Locale.ROOT, "  round %d, %s: exit %.0f ms, cached %.0f ms, agent %.0f ms%n",
                            round + 1, jars.get(jar).equals(agentJar) ? "this build" : "baseline", measured[0],
                            measured[1], measured[2]);
                }
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "attach into the Spring Boot 4 fixture (web, JPA; %s classes loaded), %d rounds,"
                + " a fresh application each%s: median [min .. max] ms%n", range(classes), rounds,
                baselineJar == null ? "" : ", alternating with the baseline " + baselineJar);
        for (int jar = 0; jar < jars.size(); jar++) {
            String who = jars.size() == 1 ? "" : jar == 0 ? "baseline: " : "this build: ";
            print(who + "command start to the attach command's exit", times[jar][0]);
            print(who + "command start to the first cached answer (key in Redis)", times[jar][1]);
            print(who + "agentmain to started, inside the application", times[jar][2]);
        }
    }

    /** [ms to the command's exit, ms to the key in Redis, the agent's own ms]; fills in the class count. */
    private static double[] attachOnce(Path appJar, Path agentJar, Path config, Jedis jedis, long[] classes,
                                       int round) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process app = new ProcessBuilder(java, "-XX:+EnableDynamicAgentLoading", "-jar", appJar.toString(),
                "--spring.main.web-application-type=servlet", "--server.port=0").start();
        CompletableFuture<Double> agentMillis = new CompletableFuture<>();
        followErrors(app, agentMillis);
        try (BufferedReader answers = new BufferedReader(new InputStreamReader(app.getInputStream(),
                StandardCharsets.UTF_8));
             PrintStream calls = new PrintStream(app.getOutputStream(), true, StandardCharsets.UTF_8)) {
            if (!"READY".equals(answers.readLine())) {
                throw new IllegalStateException("the Spring Boot fixture did not start");
            }
            // a warm application: every operation has run, and so loaded its classes
            for (String operation : List.of("productDetails", "productListing", "productBySku", "categoryById 1",
                    "reviewById 1", "changePrice SKU-2 250")) {
                for (int i = 0; i < 3; i++) {
                    call(calls, answers, "call " + (operation.contains(" ") ? operation : operation + " " + SKU));
                }
            }
            classes[round] = loadedClasses(app.pid());

            long started = System.nanoTime();
            Process attach = new ProcessBuilder(java, "-jar", agentJar.toString(), "attach", String.valueOf(app.pid()),
                    config.toString()).redirectErrorStream(true).start();
            CompletableFuture<Double> commandDone = attach.onExit().thenApply(ignored ->
                    (System.nanoTime() - started) / 1e6);
            CompletableFuture<String> commandOutput = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(attach.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            double cachedAt = Double.NaN;
            while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(60)) {
                call(calls, answers, "call productDetails " + SKU);
                if (jedis.exists(KEY)) {
                    cachedAt = (System.nanoTime() - started) / 1e6;
                    break;
                }
                Thread.sleep(5); // steady traffic, not a busy loop competing with the attach for the CPU
            }
            if (attach.waitFor() != 0 || Double.isNaN(cachedAt)) {
                throw new IllegalStateException("attach failed or nothing was cached: " + commandOutput.get());
            }
            long bodyRuns = runs(calls, answers);
            call(calls, answers, "call productDetails " + SKU);
            if (runs(calls, answers) != bodyRuns) {
                throw new IllegalStateException("the call after the key appeared ran the method: not a hit");
            }
            calls.println("exit");
            return new double[] {commandDone.get(), cachedAt, agentMillis.get(30, TimeUnit.SECONDS)};
        } finally {
            app.destroy();
            app.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void call(PrintStream calls, BufferedReader answers, String line) throws IOException {
        calls.println(line);
        String answer = answers.readLine();
        if (answer == null || !answer.startsWith("OK")) {
            throw new IllegalStateException(line + " answered " + answer);
        }
    }

    private static long runs(PrintStream calls, BufferedReader answers) throws IOException {
        calls.println("runs productDetails");
        return Long.parseLong(answers.readLine().substring("RUNS ".length()));
    }

    /** Classes loaded and not unloaded, from the JVM's performance counters through jcmd. */
    private static long loadedClasses(long pid) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid), "PerfCounter.print").redirectErrorStream(true).start();
        long loaded = -1;
        long unloaded = 0;
        for (String line : new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("java.cls.loadedClasses=")) {
                loaded = Long.parseLong(line.substring(line.indexOf('=') + 1).trim());
            } else if (line.startsWith("java.cls.unloadedClasses=")) {
                unloaded = Long.parseLong(line.substring(line.indexOf('=') + 1).trim());
            }
        }
        jcmd.waitFor();
        return loaded - unloaded;
    }

    /** The application's stderr, read so that it never blocks, and the agent's "started ... in N ms" line. */
    private static void followErrors(Process app, CompletableFuture<Double> agentMillis) {
        Thread thread = new Thread(() -> {
            java.util.regex.Pattern started = java.util.regex.Pattern.compile("started \\(attached\\) .* in (\\d+) ms");
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(app.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    java.util.regex.Matcher matcher = started.matcher(line);
                    if (matcher.find()) {
                        agentMillis.complete(Double.parseDouble(matcher.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "attach-app-stderr");
        thread.setDaemon(true);
        thread.start();
    }

    private static String range(long[] classes) {
        long[] sorted = classes.clone();
        Arrays.sort(sorted);
        return sorted[0] == sorted[sorted.length - 1] ? String.format(Locale.ROOT, "%,d", sorted[0])
                : String.format(Locale.ROOT, "%,d-%,d", sorted[0], sorted[sorted.length - 1]);
    }

    private static void print(String label, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        System.out.printf(Locale.ROOT, "  %-70s %7.0f  [%5.0f .. %5.0f]%n", label, median, sorted[0],
                sorted[sorted.length - 1]);
    }
}
