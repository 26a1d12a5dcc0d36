package dev.cacheaside.agent.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis killed, frozen, absent or talking nonsense: the application gets its own results, promptly. */
class RedisFailureIT {

    private static final Duration TIMEOUT = Duration.ofMillis(200);
    /** A call may wait the timeout once, plus scheduling noise of a busy 2-core machine. */
    private static final Duration BOUND = TIMEOUT.plusMillis(250);
    private static final String SETTINGS = "redis.timeout = 200ms\nredis.retry-interval = 200ms\n";

    private RedisFixture redis;

    @TempDir
    Path dir;

    @BeforeEach
    void startRedis() {
        redis = new RedisFixture();
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    static List<Path> jdks() {
        return Jdks.oldestAndNewest();
    }

    /**
     * A Redis slow but within the timeout (140 ms a round trip, timeout 200 ms): a miss makes a lookup and a
     * store, 280 ms of waiting, but all of a call's operations share one timeout, so none adds more.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void slowRedis_aMissesLookupAndStore_shareOneTimeout(Path jdk) {
        try (dev.cacheaside.testkit.FaultProxy proxy = dev.cacheaside.testkit.FaultProxy.start("127.0.0.1",
                redis.server.port());
             ForkedApp app = ForkedApp.start(jdk, RedisFixture.writeConfig(dir, "cache-aside {\n  redis.uri = \""
                     + proxy.uri() + "\"\n  stats-interval = 0\n" + SETTINGS + CacheAsideIT.RULES + "\n}\n"))) {
            // connections made and the lease form learnt while Redis is quick
            for (int id = 1; id <= 4; id++) {
                app.call("user", id);
            }
            proxy.delay(Duration.ofMillis(70));
            long slowest = 0;
            for (int id = 5; id <= 10; id++) {
                ForkedApp.Reply reply = app.call("user", id);
                assertTrue(reply.value().startsWith("User{id=" + id + ","), reply.toString());
                slowest = Math.max(slowest, reply.nanos());
            }
            assertTrue(slowest < TIMEOUT.plusMillis(50).toNanos(), "slowest call " + Duration.ofNanos(slowest)
                    + "\n" + app.stderr());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void redisKilledMidRun_callsSucceedWithinTheTimeout_andCachingResumesWhenItIsBack(Path jdk) {
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, SETTINGS + CacheAsideIT.RULES))) {
            app.call("user", 1);
            app.call("user", 1);
            assertEquals(1, app.runs("findById"));

            redis.server.stop();
            long slowest = 0;
            long last = 0;
            for (int i = 0; i < 20; i++) {
                ForkedApp.Reply reply = app.call("user", 1);
                assertEquals("User{id=1,name=user1,team=odd,tags=[t1]}", reply.value());
                slowest = Math.max(slowest, reply.nanos());
                last = reply.nanos();
            }
            assertTrue(slowest < BOUND.toNanos(), "slowest call " + Duration.ofNanos(slowest));
            assertTrue(last < Duration.ofMillis(20).toNanos(), "with the circuit open " + Duration.ofNanos(last));
            assertTrue(app.stderr().contains("is unavailable, calls run uncached"), app.stderr());

            redis.server.start();
            assertTrue(app.awaitStderr("caching resumes", Duration.ofSeconds(10)), app.stderr());
            int before = app.runs("findById");
            app.call("user", 1);
            app.call("user", 1);
            assertEquals(before + 1, app.runs("findById"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void redisFrozen_callsAreBoundedByTheTimeout_thenNearZero(Path jdk) {
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, SETTINGS + CacheAsideIT.RULES))) {
            app.call("user", 2);

            redis.server.freeze();
            try {
                ForkedApp.Reply first = app.call("user", 3);
                ForkedApp.Reply later = null;
                for (int i = 0; i < 10; i++) {
                    later = app.call("user", 3);
                }
                assertEquals("User{id=3,name=user3,team=odd,tags=[t3]}", first.value());
                assertTrue(first.nanos() < BOUND.toNanos(), "first call " + first.elapsed());
                assertTrue(later.nanos() < Duration.ofMillis(20).toNanos(), "later call " + later.elapsed());
            } finally {
                redis.server.thaw();
            }
            assertTrue(app.awaitStderr("caching resumes", Duration.ofSeconds(10)), app.stderr());
            int before = app.runs("findById");
            app.call("user", 2);
            assertEquals(before, app.runs("findById"), "user 2, cached before the freeze, is a hit again");
        }
    }

    /** Redis answers the DEL with an error (NOREPLICAS): the circuit stays closed, the eviction is pending. */
    @ParameterizedTest(name = "near cache {0}")
    @ValueSource(booleans = {false, true})
    void evictionRefusedByRedis_isNeverServed_andRetriedUntilDone(boolean near) {
        String rules = "cache { user-by-id { method = \"com.example.fixture.UserRepository#findById(long)\","
                + " key = \"user:{0}\", near-cache.enabled = " + near + " } }\n"
                + "evict { user-update { method = \"com.example.fixture.UserRepository#update\","
                + " keys = [\"user:{0.id}\"] } }";
        try (ForkedApp app = ForkedApp.start(Jdks.current(), redis.config(dir, SETTINGS + rules))) {
            app.call("user", 7);
            app.call("user", 7);
            assertTrue(redis.exists("cache-aside:user:7"));

            configSet("min-replicas-to-write", "1");
            assertEquals("OK", app.call("update", 7, "refused").status());
            assertTrue(redis.get("cache-aside:user:7").contains("user7"), "Redis refused the DEL: NOREPLICAS");

            assertEquals("User{id=7,name=refused,team=odd,tags=[t7]}", app.call("user", 7).value(),
                    "the entry whose eviction is pending was served");
            assertEquals("User{id=7,name=refused,team=odd,tags=[t7]}", app.call("user", 7).value());

            configSet("min-replicas-to-write", "0");
            assertTrue(RedisFixture.await(() -> {
                String entry = redis.get("cache-aside:user:7");  // one read: the eviction may land between two
                return entry == null || entry.contains("refused");
            }, Duration.ofSeconds(10)),
                    "the retry carried the eviction out: " + app.stderr());
            assertEquals("User{id=7,name=refused,team=odd,tags=[t7]}", app.call("user", 7).value());
            assertTrue(redis.get("cache-aside:user:7").contains("refused"), "caching resumed for the key");
        }
    }

    private void configSet(String parameter, String value) {
        try (redis.clients.jedis.Jedis jedis = redis.jedis()) {
            jedis.configSet(parameter, value);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void evictionDuringAnOutage_isCarriedOutBeforeTheNextHit(Path jdk) {
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, SETTINGS + CacheAsideIT.RULES))) {
            app.call("user", 7);
            assertTrue(redis.exists("cache-aside:user:7"));

            redis.server.freeze();
            try {
                app.call("update", 7, "during-outage");
            } finally {
                redis.server.thaw();
            }
            assertTrue(redis.exists("cache-aside:user:7"), "the frozen server kept the stale entry");
            assertTrue(app.awaitStderr("caching resumes", Duration.ofSeconds(10)), app.stderr());

            assertEquals("User{id=7,name=during-outage,team=odd,tags=[t7]}", app.call("user", 7).value());
            assertTrue(app.stderr().contains("carried out 1 key eviction(s)"), app.stderr());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void redisDownAtStart_appStartsUncached_andCachesOnceRedisComesUp(Path jdk) {
        redis.server.stop();
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, SETTINGS + CacheAsideIT.RULES))) {
            assertTrue(app.awaitStderr("is unavailable", Duration.ofSeconds(5)), app.stderr());
            for (int i = 0; i < 3; i++) {
                ForkedApp.Reply reply = app.call("user", 4);
                assertEquals("User{id=4,name=user4,team=even,tags=[t4]}", reply.value());
                // well under the 200 ms timeout: no call waits for the absent server
                assertTrue(reply.nanos() < Duration.ofMillis(100).toNanos(), reply.elapsed().toString());
            }
            assertEquals(3, app.runs("findById"));

            redis.server.start();
            assertTrue(app.awaitStderr("caching resumes", Duration.ofSeconds(10)), app.stderr());
            app.call("user", 4);
            app.call("user", 4);
            assertEquals(4, app.runs("findById"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void serverAnsweringGarbage_callsReturnTheMethodsResult(Path jdk) throws IOException {
        try (GarbageServer garbage = new GarbageServer()) {
            Path config = RedisFixture.writeConfig(dir, "cache-aside {\n redis.uri = \"redis://127.0.0.1:"
                    + garbage.port() + "\"\n stats-interval = 0\n" + SETTINGS + CacheAsideIT.RULES + "\n}\n");
            try (ForkedApp app = ForkedApp.start(jdk, config)) {
                for (int i = 0; i < 5; i++) {
                    ForkedApp.Reply reply = app.call("user", 5);
                    assertEquals("OK", reply.status(), reply.toString());
                    assertEquals("User{id=5,name=user5,team=odd,tags=[t5]}", reply.value());
                    assertTrue(reply.nanos() < BOUND.toNanos(), reply.elapsed().toString());
                }
                assertEquals("OK", app.call("update", 5, "x").status());
                assertEquals(6, app.runs("findById"));
            }
        }
    }

    /** Accepts connections and answers every read with bytes that are not RESP. */
    private static final class GarbageServer implements AutoCloseable {
        private final ServerSocket socket;

        GarbageServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::serve, "garbage-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Thread thread = new Thread(() -> answer(client));
                    thread.setDaemon(true);
                    thread.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void answer(Socket client) {
            try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                byte[] buffer = new byte[4096];
                while (in.read(buffer) > 0) {
                    out.write("%garbage\u0000\r\n$-7\r\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException ignored) {
                // the client gave up
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
