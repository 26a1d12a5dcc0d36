package dev.cacheaside.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A fixed, seeded mix of shop traffic: mostly reads of a hot set of products, some listings, summaries
 * and searches, and a few price changes whose evictions the next reads must see.
 */
final class Workload {

    private static final String[] WORDS = {"steel", "lamp", "cotton", "chair", "glass", "oak", "wool", "desk"};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Workload(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** Runs {@code requests} requests; returns each one's latency in nanoseconds. */
    List<Long> run(int requests, long seed) throws IOException, InterruptedException {
        Random random = new Random(seed);
        List<Long> latencies = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            int roll = random.nextInt(100);
            HttpRequest request;
            if (roll < 60) {
                request = get("/products/" + hotProduct(random));
            } else if (roll < 75) {
                request = get("/products?category=" + (1 + random.nextInt(20)));
            } else if (roll < 85) {
                request = get("/categories/" + (1 + random.nextInt(20)) + "/summary");
            } else if (roll < 95) {
                request = get("/products/search?q=" + WORDS[random.nextInt(WORDS.length)]);
            } else {
                request = patchPrice(hotProduct(random), 10 + random.nextInt(90) + ".99");
            }
            long started = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            latencies.add(System.nanoTime() - started);
            if (response.statusCode() >= 500) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                        + response.body());
            }
        }
        return latencies;
    }

    /** Changes a price, reads the product back, and says whether the read shows the new price. */
    boolean readAfterUpdateIsFresh(long productId) throws IOException, InterruptedException {
        http.send(get("/products/" + productId), HttpResponse.BodyHandlers.ofString());
        String price = "4242.42";
        HttpResponse<String> patched = http.send(patchPrice(productId, price), HttpResponse.BodyHandlers.ofString());
        if (patched.statusCode() >= 300) {
            throw new IllegalStateException("price update answered " + patched.statusCode() + ": " + patched.body());
        }
        String body = http.send(get("/products/" + productId), HttpResponse.BodyHandlers.ofString()).body();
        return body.contains(price);
    }

    long sqlQueries() throws IOException, InterruptedException {
        String body = http.send(get("/stats"), HttpResponse.BodyHandlers.ofString()).body();
        return Long.parseLong(body.replaceAll("(?s).*\"sqlQueries\"\\s*:\\s*(\\d+).*", "$1"));
    }

    void resetStats() throws IOException, InterruptedException {
        http.send(HttpRequest.newBuilder(URI.create(base + "/stats/reset")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
    }

    /** A skewed pick: a few products are read far more often than the rest, as in a real catalog. */
    private static long hotProduct(Random random) {
        double skew = Math.pow(random.nextDouble(), 3);
        return 1 + (long) (skew * 200);
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build();
    }

    private HttpRequest patchPrice(long productId, String price) {
        return HttpRequest.newBuilder(URI.create(base + "/products/" + productId + "/price"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(
                        String.format(Locale.ROOT, "{\"price\": %s}", price)))
                .build();
    }

    static long percentile(List<Long> latencies, double fraction) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(fraction * sorted.size())));
    }

    static double mean(List<Long> latencies) {
        return latencies.stream().mapToLong(Long::longValue).average().orElse(0);
    }
}
