package com.example.bench;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up with and without the agent, on test-app and the repository's agent.conf: from launching the
 * JVM to the first answer of {@code GET /products/1} (a cached method's first call, a miss that stores),
 * alternating the two, and the agent's own figures from its log: how long premain held the JVM, and
 * how long until caching was ready.
 */
public final class StartupCost {

    private static final Pattern STARTED = Pattern.compile("started with .* in (\\d+) ms \\(premain took (\\d+) ms");

    private StartupCost() {
    }

    /** On its own: {@code java -cp bench/target/cache-aside-bench.jar com.example.bench.StartupCost [rounds]}. */
    public static void main(String[] args) throws Exception {
        try (dev.cacheaside.testkit.RedisServer redis = dev.cacheaside.testkit.RedisServer.startNew()) {
            run(Path.of("").toAbsolutePath(), redis.uri(), args.length > 0 ? Integer.parseInt(args[0]) : 5);
        }
    }

    static void run(Path root, String redisUri, int rounds) throws Exception {
        Path appJar = root.resolve("test-app/target/test-app.jar");
        Path agentJar = root.resolve("agent/target/cache-aside-agent.jar");
        Path config = root.resolve("agent.conf");
        double[] without = new double[rounds];
        double[] with = new double[rounds];
        double[] premain = new double[rounds];
        double[] ready = new double[rounds];
        HostAndPort redis = HostAndPort.from(redisUri.replace("redis://", ""));
        for (int round = 0; round < rounds; round++) {
            without[round] = firstCall(appJar, null, redisUri)[0];
            try (Jedis jedis = new Jedis(redis.getHost(), redis.getPort())) {
                jedis.flushAll();
            }
            double[] agent = firstCall(appJar, "-javaagent:" + agentJar + "=" + config, redisUri);
            with[round] = agent[0];
            ready[round] = agent[1];
            premain[round] = agent[2];
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "start-up of test-app, %d rounds alternating: median [min .. max] ms%n", rounds);
        print("JVM start to first answer of GET /products/1, without agent", without);
        print("the same, with agent.conf", with);
        print("agent: premain (the JVM waits)", premain);
        print("agent: premain to caching ready", ready);
        System.out.printf(Locale.ROOT, "  ratio with/without: %.3f%n", median(with) / median(without));
    }

    /** [ms to the first answer, the agent's ms to ready, the agent's premain ms]; the last two NaN without it. */
    private static double[] firstCall(Path appJar, String agent, String redisUri) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (agent != null) {
            command.add(agent);
            command.add("-Dcache-aside.stats-interval=0");
        }
        command.addAll(List.of("-jar", appJar.toString(), "--port", "0"));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CACHE_ASIDE_REDIS_URI", redisUri);
        long launched = System.nanoTime();
        Process process = builder.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<double[]> agentTimes = new CompletableFuture<>();
        follow(process.getInputStream(), port, agentTimes);
        follow(process.getErrorStream(), port, agentTimes);
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI product = URI.create("http://127.0.0.1:" + port.get(60, TimeUnit.SECONDS) + "/products/1");
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(product).build(),
                    HttpResponse.BodyHandlers.ofString());
            double millis = (System.nanoTime() - launched) / 1e6;
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("test-app answered " + answer.statusCode() + ": " + answer.body());
            }
            double[] times = agent == null ? new double[] {Double.NaN, Double.NaN}
                    : agentTimes.get(30, TimeUnit.SECONDS);
            return new double[] {millis, times[0], times[1]};
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void follow(java.io.InputStream stream, CompletableFuture<Integer> port,
                               CompletableFuture<double[]> agentTimes) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (line.startsWith("Shop listening on port ")) {
                        port.complete(Integer.parseInt(line.substring("Shop listening on port ".length()).trim()));
                    }
                    Matcher started = STARTED.matcher(line);
                    if (started.find()) {
                        agentTimes.complete(new double[] {Double.parseDouble(started.group(1)),
                                Double.parseDouble(started.group(2))});
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "startup-output");
        thread.setDaemon(true);
        thread.start();
    }

    private static void print(String label, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "  %-62s %7.0f  [%5.0f .. %5.0f]%n", label, median(sorted), sorted[0],
                sorted[sorted.length - 1]);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
