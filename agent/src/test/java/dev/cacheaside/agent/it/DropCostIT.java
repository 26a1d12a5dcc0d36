package dev.cacheaside.agent.it;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What dropping a whole cache of 100,000 entries costs, and that Redis keeps answering meanwhile. */
class DropCostIT extends RedisTestBase {

    private static final int ENTRIES = 100_000;
    private static final String F = "com.example.fixture.";

    @Test
    void drop_of100000Entries_amid100000Others_neverBlocksRedis() throws Exception {
        try (Jedis jedis = redis.jedis()) {
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < ENTRIES; i++) {
                pipeline.set("cache-aside:team:" + i, "[{\"id\":" + i + ",\"name\":\"n\",\"team\":\"t\",\"tags\":[]}]");
                pipeline.set("cache-aside:user:" + i, "{\"id\":" + i + "}");
            }
            pipeline.sync();
        }
        String rules = "cache {\n  team { method = \"" + F + "UserRepository#findByTeam\", key = \"team:{0}\" }\n"
                + "  user-by-id { method = \"" + F + "UserRepository#findById\", key = \"user:{0}\" }\n}\n"
                + "evict { rename { method = \"" + F + "UserRepository#renameTeam\", caches = [\"team\"] } }";
        try (ForkedApp app = ForkedApp.start(Jdks.current(), redis.config(dir, rules));
             Jedis monitor = redis.jedis()) {
            AtomicBoolean dropping = new AtomicBoolean(true);
            AtomicLong slowestPing = new AtomicLong();
            Thread pinger = new Thread(() -> {
                while (dropping.get()) {
                    long started = System.nanoTime();
                    monitor.ping();
                    slowestPing.accumulateAndGet(System.nanoTime() - started, Math::max);
                }
            });
            pinger.start();
            ForkedApp.Reply drop = app.call("renameTeam", "odd", "prime");
            dropping.set(false);
            pinger.join();

            try (Jedis jedis = redis.jedis()) {
                assertEquals(ENTRIES, jedis.dbSize(), "every team entry gone, every user entry kept");
            }
            System.out.println("[drop] dropping a cache of " + ENTRIES + " entries among " + 2 * ENTRIES + " keys took "
                    + drop.elapsed().toMillis() + " ms in the mutator's thread; slowest PING meanwhile "
                    + Duration.ofNanos(slowestPing.get()).toMillis() + " ms");
            assertTrue(slowestPing.get() < Duration.ofMillis(50).toNanos(),
                    "Redis stays responsive: slowest PING " + Duration.ofNanos(slowestPing.get()));
        }
    }
}
