package dev.cacheaside.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 14, finding 14: an undeployed application's class loader is collected, and the agent's sites do not pile up. */
class RedeployIT extends RedisTestBase {

    private static final String F = "com.example.fixture.";
    private static final String RULES = String.join("\n",
            "cache { spot { method = \"" + F + "Catalog#spot\", key = \"spot:{0}:{1}\", near-cache.enabled = true } }",
            "evict { count { method = \"" + F + "Catalog#count\", keys = [\"spot:{0}:1\"] } }");

    static List<Path> oldestAndNewest() {
        return Jdks.oldestAndNewest();
    }

    @ParameterizedTest
    @MethodSource("oldestAndNewest")
    void issue14_redeployedTwentyTimes_everyLoaderCollected_andSitesStayFlat(Path jdk) {
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, RULES))) {
            ForkedApp.Reply reply = app.call("redeploys", 20, 3, 4);

            Matcher report = Pattern.compile("REDEPLOYS_cleared=(\\d+)/20_sites-first=(\\d+)_sites-most=(\\d+)")
                    .matcher(reply.value());
            assertTrue(report.matches(), reply + "\n" + app.stderr());
            System.out.println(jdk + ": " + reply.value());
            // each copy of the classes was cached (a hit served an instance of its own class, checked in the
            // fixture), then every copy's loader was collected
            assertEquals(20, Integer.parseInt(report.group(1)), reply.value());
            assertTrue(redis.exists("cache-aside:spot:3:4"));
            // the registry holds the sites of loaders alive, not one more set per redeploy
            assertTrue(Integer.parseInt(report.group(3)) <= Integer.parseInt(report.group(2)) + 2, reply.value());
        }
    }
}
