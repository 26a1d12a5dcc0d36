package dev.cacheaside.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The agent's own Jackson, Jedis, Byte Buddy and Typesafe Config never meet the application's: an
 * application with old versions of all four uses them while its methods are cached, and an application
 * without them cannot see the agent's copies by their real names.
 */
class IsolationIT extends RedisTestBase {

    private static List<Path> applicationLibraries() throws IOException {
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("app.libs", "target/app-libs")))) {
            return jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void applicationWithOldJacksonJedisByteBuddyAndConfig_usesItsOwn_whileCached(Path jdk) throws IOException {
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, CacheAsideIT.RULES), Map.of(),
                applicationLibraries())) {
            ForkedApp.Reply libraries = app.call("libraries", redis.server.port());

            assertEquals("LIBS_jackson=2.9.10-8_jedis=jedis-3.10.0_bytebuddy=byte-buddy-1.10.22_config=ok", libraries.value());
            app.call("user", 1);
            app.call("user", 1);
            app.call("count", "abc");
            assertEquals("3", app.call("count", "abc").value());
            assertEquals(1, app.runs("findById"));
            assertEquals(1, app.runs("count"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void applicationWithoutThoseLibraries_cannotSeeTheAgentsCopiesByName(Path jdk) {
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, CacheAsideIT.RULES))) {
            app.call("user", 1);
            app.call("user", 1);

            assertEquals(1, app.runs("findById"), "the agent is active");
            assertEquals("LIBS_jackson=absent_jedis=absent_bytebuddy=absent_config=absent",
                    app.call("libraries", redis.server.port()).value());
        }
    }
}
