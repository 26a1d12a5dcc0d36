package dev.cacheaside.demo;

import dev.cacheaside.testkit.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staleness audit on test-app: a rule caches products, but the config forgets the evict rule of
 * the price update. The audit finds the stale entry, replaces it and says an evict rule may be missing.
 */
class TestAppAuditIT {

    @TempDir
    Path dir;

    @Test
    void audit_findsTheMissingEvictRuleOfThePriceUpdate() throws Exception {
        Path root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
        Path config = dir.resolve("agent.conf");
        Files.writeString(config, String.join("\n",
                "cache-aside {",
                "  redis.uri = ${?CACHE_ASIDE_REDIS_URI}",
                "  stats-interval = 0",
                "  cache {",
                "    product-by-id { method = \"com.acme.shop.dao.ProductDao#findById(long)\", key = \"product:{0}\","
                        + " audit-rate = 1 }",
                "  }",
                "  # no evict rule for ProductDao#updatePrice: the mistake the audit is for",
                "}", ""));
        HttpClient http = HttpClient.newHttpClient();
        try (RedisServer redis = RedisServer.startNew();
             ShopProcess shop = ShopProcess.start(root.resolve("test-app/target/test-app.jar"),
                     root.resolve("agent/target/cache-aside-agent.jar"), config, redis.uri(), List.of(),
                     dir.resolve("shop.log"))) {
            String base = "http://127.0.0.1:" + shop.port();
            http.send(HttpRequest.newBuilder(URI.create(base + "/products/5")).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            http.send(HttpRequest.newBuilder(URI.create(base + "/products/5/price"))
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"price\": 1.23}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            String read = http.send(HttpRequest.newBuilder(URI.create(base + "/products/5")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            assertTrue(read.contains("1.23"), "the audited read returns the method's fresh result: " + read);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline && shop.agentLines().stream().noneMatch(line -> line.contains(
                    "audit found a stale entry at key 'cache-aside:product:5'"))) {
                Thread.sleep(50);
            }
            String lines = String.join("\n", shop.agentLines());
            assertTrue(lines.contains("rule 'product-by-id': audit found a stale entry at key 'cache-aside:product:5'"),
                    lines);
            assertTrue(lines.contains("An evict rule may be missing"), lines);
            assertTrue(lines.contains("Methods of com.acme.shop.dao.JdbcProductDao that ran in this JVM since the entry"
                    + " was stored"), lines);
            assertTrue(lines.contains("updatePrice(long, java.math.BigDecimal) (no evict rule)"), lines);
        }
    }
}
