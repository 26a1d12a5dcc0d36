package dev.cacheaside.agent.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Without {@code =path} the agent finds its config by -Dcache-aside.config, then CACHE_ASIDE_CONFIG. */
class ConfigLocationIT extends RedisTestBase {

    private static String agentWithoutPath() {
        return "-javaagent:" + ForkedApp.AGENT_JAR.toAbsolutePath();
    }

    @Test
    void systemProperty_namesTheConfig() {
        Path config = redis.config(dir, CacheAsideIT.RULES);
        try (ForkedApp app = ForkedApp.start(Jdks.current(), null, agentWithoutPath(),
                "-Dcache-aside.config=" + config)) {
            app.call("user", 1);
            app.call("user", 1);
            assertEquals(1, app.runs("findById"));
        }
    }

    @Test
    void environmentVariable_namesTheConfig() {
        Path config = redis.config(dir, CacheAsideIT.RULES);
        try (ForkedApp app = ForkedApp.start(Jdks.current(), null, Map.of("CACHE_ASIDE_CONFIG", config.toString()),
                agentWithoutPath())) {
            app.call("user", 2);
            app.call("user", 2);
            assertEquals(1, app.runs("findById"));
        }
    }
}
