package dev.cacheaside.agent.metrics;

import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.runtime.StatsRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusTextTest {

    @Test
    void labelValues_escapeBackslashQuoteAndLineFeed() {
        assertEquals("a\\\\b\\\"c\\nd", PrometheusText.escape("a\\b\"c\nd"));
        assertEquals("product-by-id", PrometheusText.escape("product-by-id"));
    }

    @Test
    void render_auditCountersStaleRatioAndShadowGauge(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.conf");
        Files.write(file, "cache-aside.cache.r { method = \"a.B#c\", audit-rate = 1 }".getBytes("UTF-8"));
        String text = PrometheusText.render(AgentSettings.load(file), new StatsRegistry(), true);

        assertTrue(text.contains("# TYPE cache_aside_audits_total counter\ncache_aside_audits_total{rule=\"r\"} 0\n"),
                text);
        assertTrue(text.contains("# TYPE cache_aside_stale_ratio gauge\ncache_aside_stale_ratio{rule=\"r\"} 0.000000\n"),
                text);
        assertTrue(text.contains("cache_aside_stale_window_audits{rule=\"r\"} 0\n"), text);
        assertTrue(text.contains("cache_aside_rule_stale_shadow{rule=\"r\"} 0\n"), text);
    }
}
