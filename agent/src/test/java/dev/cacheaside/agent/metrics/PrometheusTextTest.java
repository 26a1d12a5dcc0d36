package dev.cacheaside.agent.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrometheusTextTest {

    @Test
    void labelValues_escapeBackslashQuoteAndLineFeed() {
        assertEquals("a\\\\b\\\"c\\nd", PrometheusText.escape("a\\b\"c\nd"));
        assertEquals("product-by-id", PrometheusText.escape("product-by-id"));
    }
}
