package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.CacheRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class NearCachesTest {

    private static final byte[] JSON = "{}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final NearCaches nearCaches = new NearCaches();

    @Test
    void forRule_twoLoaders_eachHasItsOwnNearCache() throws Exception {
        nearCaches.servingWhile(() -> true);
        CacheRule rule = rule();
        try (URLClassLoader first = new URLClassLoader(new URL[0]); URLClassLoader second = new URLClassLoader(new URL[0])) {
            NearCache ofFirst = nearCaches.forRule(rule, first);
            NearCache ofSecond = nearCaches.forRule(rule, second);
            ofFirst.put("k", JSON, new Object(), nearCaches.epoch(), nearCaches);

            assertNotSame(ofFirst, ofSecond);
            assertSame(ofFirst, nearCaches.forRule(rule, first), "sites of one loader share its near cache");
            assertNotSame(ofFirst, nearCaches.forRule(rule, null));
            assertNotNull(ofFirst.get("k"));
            assertNull(ofSecond.get("k"), "another loader's prototype was served");
        }
    }

    @Test
    void invalidate_reachesTheNearCacheOfEveryLoader() throws Exception {
        nearCaches.servingWhile(() -> true);
        CacheRule rule = rule();
        try (URLClassLoader first = new URLClassLoader(new URL[0]); URLClassLoader second = new URLClassLoader(new URL[0])) {
            NearCache ofFirst = nearCaches.forRule(rule, first);
            NearCache ofSecond = nearCaches.forRule(rule, second);
            ofFirst.put("k", JSON, new Object(), nearCaches.epoch(), nearCaches);
            ofSecond.put("k", JSON, new Object(), nearCaches.epoch(), nearCaches);

            nearCaches.invalidate(List.of("k"));

            assertEquals(0, ofFirst.size() + ofSecond.size());
        }
    }

    private CacheRule rule() throws Exception {
        Path conf = dir.resolve("agent.conf");
        Files.writeString(conf, "cache-aside.cache.r { method = \"com.example.fixture.Catalog#find\", key = \"r:{0}\","
                + " near-cache.enabled = true }\n");
        return AgentSettings.load(conf).cacheRules().get("r");
    }
}
