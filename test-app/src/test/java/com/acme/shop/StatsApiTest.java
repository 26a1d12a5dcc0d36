package com.acme.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RunningShop.class)
class StatsApiTest {

    private final ShopClient shop;

    StatsApiTest(ShopClient shop) {
        this.shop = shop;
    }

    @Test
    void health_returnsUp() {
        assertEquals("UP", shop.getJson("/health").get("status").asText());
    }

    @Test
    void stats_countCatalogRequestsAndTheirSqlStatements() {
        reset();

        shop.getJson("/products/1");
        assertStats(2, 1);
        shop.getJson("/products?category=3");
        assertStats(4, 2);
        shop.getJson("/categories");
        assertStats(5, 3);
        shop.get("/products/999999");
        assertStats(6, 4);
        shop.get("/products/oops");
        assertStats(6, 5);
    }

    @Test
    void reset_returnsPreviousCountsAndStartsFromZero() {
        reset();
        shop.getJson("/categories/3/count");

        JsonNode previous = reset();

        assertEquals(1, previous.get("sqlQueries").asLong());
        assertEquals(1, previous.get("requests").asLong());
        assertStats(0, 0);
    }

    @Test
    void stats_wrongMethod_returns405() {
        assertEquals(405, shop.send("POST", "/stats", null).statusCode());
        assertEquals(405, shop.get("/stats/reset").statusCode());
    }

    private JsonNode reset() {
        var response = shop.send("POST", "/stats/reset", null);
        assertEquals(200, response.statusCode());
        return ShopClient.json(response);
    }

    private void assertStats(long sqlQueries, long requests) {
        JsonNode stats = shop.getJson("/stats");
        assertEquals(sqlQueries, stats.get("sqlQueries").asLong(), "sqlQueries");
        assertEquals(requests, stats.get("requests").asLong(), "requests");
    }
}
