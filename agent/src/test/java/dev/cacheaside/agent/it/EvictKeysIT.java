package dev.cacheaside.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Evict keys built from arguments are rendered when the mutator is entered, before its body can change
 * the arguments; keys built from the result are rendered after it returns.
 */
class EvictKeysIT extends RedisTestBase {

    private static final String F = "com.example.fixture.";
    private static final String RULES = String.join("\n",
            "cache { by-name { method = \"" + F + "Catalog#echo\", key = \"by-name:{0}\" } }",
            "evict { rename { method = \"" + F + "Catalog#rename\", keys = [\"by-name:{0.name}\", \"by-name:{result}\"] } }");

    @ParameterizedTest
    @MethodSource("jdks")
    void evict_mutatorChangesItsArgument_evictsTheKeyOfTheOldValue(Path jdk) {
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, RULES))) {
            app.call("echo", "ada");
            app.call("echo", "bob");
            assertTrue(redis.exists("cache-aside:by-name:ada"));
            assertTrue(redis.exists("cache-aside:by-name:bob"));

            assertEquals("bob", app.call("rename", "ada", "bob").value());

            assertFalse(redis.exists("cache-aside:by-name:ada"), "the key of the name the user had on entry");
            assertFalse(redis.exists("cache-aside:by-name:bob"), "the key rendered from the result");
        }
    }
}
