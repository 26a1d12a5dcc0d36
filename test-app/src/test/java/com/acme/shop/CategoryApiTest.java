package com.acme.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RunningShop.class)
class CategoryApiTest {

    private final ShopClient shop;

    CategoryApiTest(ShopClient shop) {
        this.shop = shop;
    }

    @Test
    void findAll_returnsTwentyCategoriesInIdOrder() {
        JsonNode categories = shop.getJson("/categories");

        assertEquals(20, categories.size());
        for (int i = 0; i < 20; i++) {
            assertEquals(i + 1, categories.get(i).get("id").asLong());
        }
    }

    @Test
    void findById_existing_returnsCategory() {
        JsonNode category = shop.getJson("/categories/3");

        assertEquals(3, category.get("id").asLong());
        assertEquals("Office", category.get("name").asText());
    }

    @Test
    void findById_absentOrInvalid_returns404Or400() {
        assertEquals(404, shop.get("/categories/99").statusCode());
        assertEquals(400, shop.get("/categories/office").statusCode());
    }

    @Test
    void summarize_countsActiveProductsAndAveragesTheirPrice() {
        BigDecimal total = BigDecimal.ZERO;
        int active = 0;
        for (JsonNode product : shop.getJson("/products?category=3")) {
            if (product.get("status").asText().equals("ACTIVE")) {
                total = total.add(product.get("price").decimalValue());
                active++;
            }
        }

        JsonNode summary = shop.getJson("/categories/3/summary");

        assertEquals(3, summary.get("categoryId").asLong());
        assertEquals("Office", summary.get("name").asText());
        assertEquals(active, summary.get("productCount").asInt());
        assertEquals(0, total.divide(BigDecimal.valueOf(active), 2, RoundingMode.HALF_UP)
                .compareTo(summary.get("averagePrice").decimalValue()));
    }

    @Test
    void summarize_absentCategory_returns404() {
        assertEquals(404, shop.get("/categories/99/summary").statusCode());
        assertEquals(404, shop.get("/categories/99/summary-async").statusCode());
    }

    @Test
    void summarizeAsync_answersLikeSummarize() {
        assertEquals(shop.getJson("/categories/4/summary"), shop.getJson("/categories/4/summary-async"));
    }

    @Test
    void countByCategory_countsProductsOfEveryStatus() {
        JsonNode count = shop.getJson("/categories/3/count");

        assertEquals(3, count.get("categoryId").asLong());
        assertEquals(100, count.get("count").asInt());
    }

    @Test
    void countByCategory_unknownCategory_returnsZero() {
        assertEquals(0, shop.getJson("/categories/99/count").get("count").asInt());
    }

    @Test
    void unknownPathsAndMethods_return404And405() {
        assertEquals(404, shop.get("/categories/3/products").statusCode());
        assertEquals(405, shop.send("DELETE", "/categories/3", null).statusCode());
    }
}
