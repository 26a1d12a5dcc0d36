package dev.cacheaside.agent.it;

import dev.cacheaside.testkit.RedisServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile values in Redis, ACL users and passwords, and TLS with a trust store of the test's own. */
class SecurityIT extends RedisTestBase {

    private static final String PASSWORD = "s3cret-Pass";
    private static final String USER_RULE = "cache { user-by-id { method = \"com.example.fixture.UserRepository#findById\","
            + " key = \"user:{0}\" } }";

    @ParameterizedTest
    @MethodSource("jdks")
    void hostileValues_areNeverServed_theMethodsResultIs(Path jdk) {
        redis.set("cache-aside:user:1", "[\"org.springframework.context.support.ClassPathXmlApplicationContext\","
                + "\"http://127.0.0.1:1/evil.xml\"]");
        try (Jedis jedis = redis.jedis()) {
            jedis.set("cache-aside:user:2".getBytes(StandardCharsets.UTF_8), new byte[2 * 1024 * 1024]);
            jedis.set("cache-aside:user:3".getBytes(StandardCharsets.UTF_8),
                    new byte[] {'{', '"', 'i', 'd', '"', ':', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '}'});
        }
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, USER_RULE))) {
            assertEquals("User{id=1,name=user1,team=odd,tags=[t1]}", app.call("user", 1).value());
            assertEquals("User{id=2,name=user2,team=even,tags=[t2]}", app.call("user", 2).value());
            assertEquals("User{id=3,name=user3,team=odd,tags=[t3]}", app.call("user", 3).value());

            assertEquals(3, app.runs("findById"));
            assertTrue(app.awaitStderr("value at 'cache-aside:user:1' no longer reads as the method's return type",
                    Duration.ofSeconds(5)), app.stderr());
            assertTrue(app.awaitStderr("value at 'cache-aside:user:2' is 2097152 bytes, over max-value-size",
                    Duration.ofSeconds(5)), app.stderr());
            // the warning about user:3 is the same kind as user:1's, so the rate limit holds it back
            assertFalse(redis.exists("cache-aside:user:3") && redis.get("cache-aside:user:3").startsWith("{\"id\":"
                    + (char) 0xFFFD), "the unreadable value was replaced");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void plantedObjectGraphs_areNeverServed_theMethodsResultIs(Path jdk) {
        // the object-graph form, with references where the declared type has a list and a string
        redis.set("cache-aside:user:1", "{\"@id\":1,\"id\":1,\"name\":\"evil\",\"tags\":1,\"team\":\"odd\"}");
        redis.set("cache-aside:user:2", "{\"@id\":1,\"id\":2,\"name\":{\"@id\":2},\"tags\":[],\"team\":\"odd\"}");
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, USER_RULE))) {
            assertEquals("User{id=1,name=user1,team=odd,tags=[t1]}", app.call("user", 1).value());
            assertEquals("User{id=2,name=user2,team=even,tags=[t2]}", app.call("user", 2).value());

            assertEquals(2, app.runs("findById"));
            assertTrue(app.awaitStderr("value at 'cache-aside:user:1' no longer reads as the method's return type",
                    Duration.ofSeconds(5)), app.stderr());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void reflectiveReturnType_isRefused_andAPlantedClassNameInitialisesNothing(Path jdk) {
        String planted = "{\"name\":\"h\",\"type\":\"com.example.fixture.Awkward$Planted\"}";
        redis.set("cache-aside:handler:h", planted);
        String rule = "cache { handler { method = \"com.example.fixture.Awkward#handler\", key = \"handler:{0}\" } }";
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, rule))) {
            assertEquals("h:String", app.call("handler", "h").value());
            assertEquals("h:String", app.call("handler", "h").value());

            assertEquals(2, app.runs("handler"));
            assertTrue(app.awaitStderr("rule 'handler'", Duration.ofSeconds(5)), app.stderr());
            String stderr = app.stderr();
            assertTrue(stderr.contains("which holds java.lang.Class (field Handler.type), a reflective type"), stderr);
            assertTrue(stderr.contains("store a class as its name (a String)"), stderr);
            assertFalse(stderr.contains("PLANTED CLASS INITIALISED"), stderr);
            assertEquals(planted, redis.get("cache-aside:handler:h"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aclUser_withPassword_caches_andAWrongPasswordRunsUncachedWithOneClearLine(Path jdk) {
        try (RedisServer server = RedisServer.startNew()) {
            try (Jedis admin = new Jedis("127.0.0.1", server.port())) {
                admin.aclSetUser("app", "on", ">" + PASSWORD, "~*", "+@all");
                admin.aclSetUser("default", "off");
            }
            String uri = "redis://app:" + PASSWORD + "@127.0.0.1:" + server.port();
            Path good = RedisFixture.writeConfig(dir, "cache-aside {\n redis.uri = \"" + uri + "\"\n stats-interval = 0\n"
                    + USER_RULE + "\n}\n");
            try (ForkedApp app = ForkedApp.start(jdk, good)) {
                app.call("user", 1);
                app.call("user", 1);
                assertEquals(1, app.runs("findById"));
                assertFalse(app.stderr().contains(PASSWORD), app.stderr());
            }

            Path wrong = RedisFixture.writeConfig(dir, "cache-aside {\n redis.uri = \"redis://127.0.0.1:" + server.port()
                    + "\"\n redis.user = app\n redis.password = ${?CACHE_ASIDE_REDIS_PASSWORD}\n stats-interval = 0\n"
                    + USER_RULE + "\n}\n");
            try (ForkedApp app = ForkedApp.start(jdk, wrong, Map.of("CACHE_ASIDE_REDIS_PASSWORD", "not-the-password"))) {
                assertTrue(app.awaitStderr("is unavailable", Duration.ofSeconds(5)), app.stderr());
                app.call("user", 1);
                assertEquals("User{id=1,name=user1,team=odd,tags=[t1]}", app.call("user", 1).value());
                assertEquals(2, app.runs("findById"));
                String stderr = app.stderr();
                assertTrue(stderr.contains("WRONGPASS"), stderr);
                assertFalse(stderr.contains("not-the-password"), stderr);
                assertEquals(1, stderr.split("is unavailable", -1).length - 1, "one line, not one per call");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void tls_withTheTestsOwnTrustStore_caches_andAnUntrustedCertificateRunsUncached(Path jdk) throws Exception {
        TlsMaterial tls = TlsMaterial.create(dir, "server");
        TlsMaterial stranger = TlsMaterial.create(dir, "stranger");
        int tlsPort = RedisServer.freePort();
        List<String> arguments = new ArrayList<>(tls.serverArguments(tlsPort));
        try (RedisServer server = RedisServer.startNew(arguments.toArray(new String[0]))) {
            String trusted = "cache-aside {\n redis.uri = \"rediss://127.0.0.1:" + tlsPort + "\"\n"
                    + " redis.tls { trust-store = \"" + tls.trustStore + "\", trust-store-password = \""
                    + TlsMaterial.TRUST_PASSWORD + "\" }\n stats-interval = 0\n" + USER_RULE + "\n}\n";
            try (ForkedApp app = ForkedApp.start(jdk, RedisFixture.writeConfig(dir, trusted))) {
                app.call("user", 1);
                app.call("user", 1);
                assertEquals(1, app.runs("findById"));
                try (Jedis plain = new Jedis("127.0.0.1", server.port())) {
                    assertTrue(plain.exists("cache-aside:user:1"));
                }
            }

            String untrusted = trusted.replace(tls.trustStore.toString(), stranger.trustStore.toString());
            try (ForkedApp app = ForkedApp.start(jdk, RedisFixture.writeConfig(dir, untrusted))) {
                assertTrue(app.awaitStderr("is unavailable", Duration.ofSeconds(5)), app.stderr());
                app.call("user", 1);
                app.call("user", 1);
                assertEquals(2, app.runs("findById"));
                assertTrue(app.stderr().toLowerCase().contains("ssl") || app.stderr().contains("certificate")
                        || app.stderr().contains("PKIX"), app.stderr());
                assertFalse(app.stderr().contains(TlsMaterial.TRUST_PASSWORD), app.stderr());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void tls_certificateForAnotherHost_isRefusedWithOneClearLine_unlessVerifyHostnameIsOff(Path jdk) throws Exception {
        TlsMaterial evil = TlsMaterial.create(dir, "evil", "CN=evil.example", "dns:evil.example");
        int tlsPort = RedisServer.freePort();
        try (RedisServer server = RedisServer.startNew(evil.serverArguments(tlsPort).toArray(new String[0]))) {
            try (Jedis admin = new Jedis("127.0.0.1", server.port())) {
                admin.configSet("requirepass", PASSWORD);
            }
            // near cache on: its invalidation listener opens raw TLS connections of its own
            String config = "cache-aside {\n redis.uri = \"rediss://127.0.0.1:" + tlsPort + "\"\n"
                    + " redis.tls { trust-store = \"" + evil.trustStore + "\", trust-store-password = \""
                    + TlsMaterial.TRUST_PASSWORD + "\" }\n redis.password = \"" + PASSWORD + "\"\n"
                    + " defaults.near-cache.enabled = true\n stats-interval = 0\n" + USER_RULE + "\n}\n";
            try (ForkedApp app = ForkedApp.start(jdk, RedisFixture.writeConfig(dir, config))) {
                assertTrue(app.awaitStderr("is unavailable", Duration.ofSeconds(5)), app.stderr());
                app.call("user", 1);
                app.call("user", 1);
                assertEquals(2, app.runs("findById"), "uncached");
                String stderr = app.stderr();
                assertEquals(1, stderr.split("is unavailable", -1).length - 1, "one line:\n" + stderr);
                assertEquals(1, stderr.split("\\[cache-aside\\] WARN", -1).length - 1, "one line:\n" + stderr);
                stderr.lines().filter(line -> line.contains("is unavailable")).forEach(line -> System.err.println("[it] " + line));
                assertTrue(stderr.contains("does not name the host") && stderr.contains("verify-hostname"), stderr);
                assertFalse(stderr.contains(PASSWORD), stderr);
                try (Jedis plain = new Jedis("127.0.0.1", server.port())) {
                    plain.auth(PASSWORD);
                    assertFalse(plain.exists("cache-aside:user:1"));
                    // neither the pool nor the near cache's listener got past the handshake
                    assertEquals(1, plain.clientList().trim().split("\n").length, plain.clientList());
                }
            }

            String optedOut = config.replace("trust-store-password", "verify-hostname = false, trust-store-password");
            try (ForkedApp app = ForkedApp.start(jdk, RedisFixture.writeConfig(dir, optedOut))) {
                app.call("user", 1);
                app.call("user", 1);
                assertEquals(1, app.runs("findById"), "cached with the check turned off:\n" + app.stderr());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void applicationCode_cannotReachTheJdksInternalUnsafe_withTheAgentLoaded(Path jdk) {
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, USER_RULE))) {
            app.call("user", 1);
            app.call("user", 1);
            assertEquals(1, app.runs("findById"), "the agent and its bridge work");

            String internals = app.call("internals").value();
            assertTrue(internals.equals("absent") || internals.startsWith("refused:"), internals);
            assertFalse(app.stderr().contains("Sharing is only supported for boot loader classes"),
                    "the bridge is defined in the boot loader, not appended to its path\n" + app.stderr());
        }
    }
}
