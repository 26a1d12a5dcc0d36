package dev.cacheaside.testkit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each fault of the proxy, seen by a Jedis client talking to a real redis-server through it. */
class FaultProxyTest {

    private static final int TIMEOUT_MILLIS = 300;

    static RedisServer redis;
    FaultProxy proxy;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.startNew();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.start("127.0.0.1", redis.port());
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    private Jedis client() {
        return new Jedis("127.0.0.1", proxy.port(), TIMEOUT_MILLIS);
    }

    @Test
    void noFault_forwardsBothWays() {
        try (Jedis jedis = client()) {
            jedis.set("k", "v");
            assertEquals("v", jedis.get("k"));
            assertEquals(1, proxy.openConnections());
        }
    }

    @Test
    void delay_slowsEveryReply_andHealRestoresSpeed() {
        try (Jedis jedis = client()) {
            jedis.ping();
            proxy.delay(Duration.ofMillis(60));
            long took = timed(jedis::ping);
            assertTrue(took >= 120, "a chunk each way waits 60 ms: " + took);
            proxy.heal();
            assertTrue(timed(jedis::ping) < 60, "healed");
        }
    }

    @Test
    void drop_swallowsCommands_untilTheClientTimesOut() {
        try (Jedis jedis = client()) {
            jedis.ping();
            proxy.drop();
            assertThrows(JedisConnectionException.class, () -> jedis.set("dropped", "x"));
        }
        proxy.heal();
        try (Jedis jedis = client()) {
            assertEquals(null, jedis.get("dropped"), "the swallowed command never reached Redis");
        }
    }

    @Test
    void reset_breaksOpenConnections_andRefusesNewOnes_untilHealed() {
        // not closed: its socket is gone, and closing would send QUIT into it
        Jedis jedis = client();
        jedis.ping();
        proxy.reset();
        long took = timed(() -> assertThrows(JedisConnectionException.class, jedis::ping));
        assertTrue(took < TIMEOUT_MILLIS, "a reset fails at once, not after the timeout: " + took);
        assertThrows(JedisConnectionException.class, () -> client().ping(), "a new connection is reset too");
        proxy.heal();
        try (Jedis healed = client()) {
            assertEquals("PONG", healed.ping());
        }
    }

    @Test
    void halfOpen_downstream_deliversCommands_butNoReplies() {
        try (Jedis jedis = client()) {
            jedis.ping();
            proxy.halfOpen(FaultProxy.Direction.DOWNSTREAM);
            assertThrows(JedisConnectionException.class, () -> jedis.set("half", "reached"));
            assertEquals(1, proxy.openConnections(), "the socket stays open");
        }
        proxy.heal();
        try (Jedis jedis = client()) {
            assertEquals("reached", jedis.get("half"), "the command got through; only its reply was lost");
        }
    }

    @Test
    void halfOpen_upstream_swallowsCommands() {
        try (Jedis jedis = client()) {
            jedis.ping();
            proxy.halfOpen(FaultProxy.Direction.UPSTREAM);
            assertThrows(JedisConnectionException.class, () -> jedis.set("up", "x"));
        }
        proxy.heal();
        try (Jedis jedis = client()) {
            assertEquals(null, jedis.get("up"));
        }
    }

    @Test
    void drip_trickles_aLongReplyPastTheTimeout_withoutTrippingAPerReadTimeout() {
        try (Jedis jedis = client()) {
            jedis.set("long", "x".repeat(100));
            proxy.drip(Duration.ofMillis(5));
            long took = timed(() -> assertEquals("x".repeat(100), jedis.get("long")));
            assertTrue(took >= 100 * 5 && took > TIMEOUT_MILLIS, "each byte comes within the socket timeout, the"
                    + " reply as a whole long after it: " + took);
        }
    }

    @Test
    void garbage_isNotResp_andTheClientFails() {
        try (Jedis jedis = client()) {
            jedis.ping();
            proxy.garbage();
            assertThrows(JedisException.class, jedis::ping);
        }
        proxy.heal();
        try (Jedis jedis = client()) {
            assertEquals("PONG", jedis.ping());
        }
    }

    @Test
    void partition_silencesOpenConnections_andResetsNewOnes() {
        try (Jedis open = client()) {
            open.ping();
            proxy.partition();
            long took = timed(() -> assertThrows(JedisConnectionException.class, open::ping));
            assertTrue(took >= TIMEOUT_MILLIS - 20, "an open connection waits for its timeout: " + took);
            long refused = timed(() -> assertThrows(JedisConnectionException.class, () -> client().ping()));
            assertTrue(refused < TIMEOUT_MILLIS, "a new one fails at once: " + refused);
        }
        proxy.heal();
        try (Jedis jedis = client()) {
            assertEquals("PONG", jedis.ping());
        }
        assertEquals(1L, proxy.faultsApplied().get("partition"));
    }

    @Test
    void redisDown_resetsNewConnections() {
        RedisServer lone = RedisServer.startNew();
        try (FaultProxy toLone = FaultProxy.start("127.0.0.1", lone.port())) {
            lone.stop();
            assertThrows(JedisConnectionException.class,
                    () -> new Jedis("127.0.0.1", toLone.port(), TIMEOUT_MILLIS).ping());
            lone.start();
            try (Jedis jedis = new Jedis("127.0.0.1", toLone.port(), TIMEOUT_MILLIS)) {
                assertEquals("PONG", jedis.ping());
            }
        } finally {
            lone.close();
        }
    }

    private static long timed(Runnable action) {
        long started = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }
}
