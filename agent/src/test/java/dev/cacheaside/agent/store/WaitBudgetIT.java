package dev.cacheaside.agent.store;

import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.RedisSettings;
import dev.cacheaside.testkit.FaultProxy;
import dev.cacheaside.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: one operation of a single server waits for Redis at most {@code timeout} in all, whatever the
 * faults between the agent and Redis. A per-read timeout alone let these take seconds.
 */
class WaitBudgetIT {

    private static final long TIMEOUT_MILLIS = 200;
    /** Scheduling slack on a busy 2-core machine; the contract's allowance over {@code timeout} is 50 ms. */
    private static final long SLACK_MILLIS = 50;

    private static RedisServer redis;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.startNew();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void aReplyThatDrips_endsAtTheTimeout_notAfterEveryByteHasCome() throws Exception {
        byte[] value = new byte[4096];
        Arrays.fill(value, (byte) 'x');
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", redis.port())) {
            JedisStore store = new JedisStore(settings(proxy));
            store.set("drip", value, 60_000);
            // 4 KiB a byte every 2 ms: each read gets a byte well within the timeout, the reply takes 8 s
            proxy.drip(Duration.ofMillis(2));

            long start = System.nanoTime();
            assertThrows(StoreException.class, () -> store.get("drip"));
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took <= TIMEOUT_MILLIS + SLACK_MILLIS, "GET took " + took + " ms");

            proxy.heal();
            assertArrayEquals(value, store.get("drip"), "a new connection serves once the fault ends");
            store.close();
        }
    }

    @Test
    void aNewConnectionsCheckAndTheCommand_shareOneTimeout() throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", redis.port())) {
            JedisStore warm = new JedisStore(settings(proxy));
            warm.set("slow", "v".getBytes(StandardCharsets.UTF_8), 60_000);
            warm.close();
            // each way takes 60 ms: the new connection's PING and the GET take 120 ms each, 240 ms in all
            proxy.delay(Duration.ofMillis(60));
            JedisStore cold = new JedisStore(settings(proxy));

            long start = System.nanoTime();
            assertThrows(StoreException.class, () -> cold.get("slow"));
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took <= TIMEOUT_MILLIS + SLACK_MILLIS, "connect, PING and GET took " + took + " ms");
            cold.close();
        }
    }

    @Test
    void aDropOfManyBatches_hasTheTimeoutPerBatch() throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", redis.port())) {
            JedisStore store = new JedisStore(settings(proxy));
            for (int i = 0; i < 3000; i++) {
                store.set("drop:" + i, new byte[] {'1'}, 60_000);
            }
            // a SCAN and an UNLINK per batch of 500, 60 ms each: far over the timeout for the whole drop
            proxy.delay(Duration.ofMillis(30));
            assertEquals(3000, store.deleteMatching("drop:*"));
            store.close();
        }
    }

    private RedisSettings settings(FaultProxy proxy) throws Exception {
        Path conf = dir.resolve("agent.conf");
        Files.writeString(conf, "cache-aside { redis { uri = \"" + proxy.uri() + "\", timeout = " + TIMEOUT_MILLIS + "ms } }\n");
        return AgentSettings.load(conf).redis();
    }
}
