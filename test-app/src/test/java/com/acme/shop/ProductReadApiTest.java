package com.acme.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RunningShop.class)
class ProductReadApiTest {

    private final ShopClient shop;

    ProductReadApiTest(ShopClient shop) {
        this.shop = shop;
    }

    @Test
    void findById_existing_returnsProductWithCategoryAndBestReviewsFirst() {
        JsonNode product = shop.getJson("/products/1");

        assertEquals(1, product.get("id").asLong());
        assertEquals("SKU-00001", product.get("sku").asText());
        assertEquals(1, product.get("categoryId").asLong());
        assertEquals("Kitchen", product.get("categoryName").asText());
        assertTrue(product.get("description").asText().length() >= 280);
        assertTrue(product.get("price").isNumber());
        assertTrue(product.get("reviewCount").asInt() >= 32);
        double rating = product.get("averageRating").asDouble();
        assertTrue(rating >= 1 && rating <= 5, "average rating " + rating);
        JsonNode reviews = product.get("topReviews");
        assertEquals(3, reviews.size());
        assertTrue(reviews.get(0).get("rating").asInt() >= reviews.get(1).get("rating").asInt());
        assertTrue(reviews.get(1).get("rating").asInt() >= reviews.get(2).get("rating").asInt());
        assertEquals(1, reviews.get(0).get("productId").asLong());
    }

    @Test
    void findById_productWithoutReviews_hasEmptyStatistics() {
        JsonNode product = shop.getJson("/products/100");

        assertEquals(0, product.get("reviewCount").asInt());
        assertEquals(0.0, product.get("averageRating").asDouble());
        assertEquals(0, product.get("topReviews").size());
    }

    @Test
    void findById_absent_returns404WithJsonError() {
        HttpResponse<String> response = shop.get("/products/999999");

        assertEquals(404, response.statusCode());
        assertEquals(404, ShopClient.json(response).get("status").asInt());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void findById_nonNumericOrZeroId_returns400() {
        assertEquals(400, shop.get("/products/abc").statusCode());
        assertEquals(400, shop.get("/products/0").statusCode());
        assertEquals(400, shop.get("/products/-5").statusCode());
    }

    @Test
    void findByCategory_returnsItsHundredProductsInIdOrderWithoutReviews() {
        JsonNode products = shop.getJson("/products?category=3");

        assertEquals(100, products.size());
        long previousId = 0;
        for (JsonNode product : products) {
            assertEquals(3, product.get("categoryId").asLong());
            assertEquals("Office", product.get("categoryName").asText());
            assertTrue(product.get("id").asLong() > previousId);
            assertEquals(0, product.get("topReviews").size());
            previousId = product.get("id").asLong();
        }
        assertTrue(products.get(0).get("reviewCount").asInt() > 0);
    }

    @Test
    void findByCategory_statisticsMatchFindById() {
        JsonNode listed = shop.getJson("/products?category=3").get(0);
        JsonNode single = shop.getJson("/products/" + listed.get("id").asLong());

        assertEquals(single.get("reviewCount"), listed.get("reviewCount"));
        assertEquals(single.get("averageRating"), listed.get("averageRating"));
    }

    @Test
    void findByCategory_unknownCategory_returnsEmptyList() {
        assertEquals(0, shop.getJson("/products?category=999").size());
    }

    @Test
    void findByCategory_missingOrInvalidParameter_returns400() {
        assertEquals(400, shop.get("/products").statusCode());
        assertEquals(400, shop.get("/products?category=").statusCode());
        assertEquals(400, shop.get("/products?category=three").statusCode());
    }

    @Test
    void search_matchesNameOrDescriptionIgnoringCase() {
        JsonNode products = shop.getJson("/products/search?q=KETTLE");

        assertFalse(products.isEmpty());
        for (JsonNode product : products) {
            String text = (product.get("name").asText() + " " + product.get("description").asText())
                    .toLowerCase(Locale.ROOT);
            assertTrue(text.contains("kettle"), text);
        }
    }

    @Test
    void search_commonWord_isLimitedToFifty() {
        assertEquals(50, shop.getJson("/products/search?q=the").size());
    }

    @Test
    void search_noMatchOrWildcardCharacters_returnsEmptyList() {
        assertEquals(0, shop.getJson("/products/search?q=zzzz").size());
        assertEquals(0, shop.getJson("/products/search?q=%25").size());
        assertEquals(0, shop.getJson("/products/search?q=_").size());
    }

    @Test
    void search_blankOrTooLongQuery_returns400() {
        assertEquals(400, shop.get("/products/search").statusCode());
        assertEquals(400, shop.get("/products/search?q=%20%20").statusCode());
        assertEquals(400, shop.get("/products/search?q=" + "a".repeat(101)).statusCode());
    }

    @Test
    void findBySku_existing_returnsSameProductAsFindById() {
        assertEquals(shop.getJson("/products/42"), shop.getJson("/products/by-sku/SKU-00042"));
    }

    @Test
    void findBySku_absent_returns404() {
        assertEquals(404, shop.get("/products/by-sku/NOPE-1").statusCode());
    }

    @Test
    void productIdsByStatus_listsEveryStatusWithAscendingDistinctIds() {
        JsonNode idsByStatus = shop.getJson("/products/ids-by-status");

        assertEquals(Set.of("ACTIVE", "DISCONTINUED"), fieldNames(idsByStatus));
        assertTrue(idsByStatus.get("DISCONTINUED").size() > 100);
        Set<Long> seen = new HashSet<>();
        for (JsonNode ids : idsByStatus) {
            long previous = 0;
            for (JsonNode id : ids) {
                assertTrue(id.asLong() > previous);
                assertTrue(seen.add(id.asLong()), "id listed twice: " + id);
                previous = id.asLong();
            }
        }
        assertTrue(seen.containsAll(Set.of(1L, 42L, 2000L)));
    }

    @Test
    void unknownPaths_return404() {
        assertEquals(404, shop.get("/products/1/reviews").statusCode());
        assertEquals(404, shop.get("/productsX").statusCode());
        assertEquals(404, shop.get("/nothing/here").statusCode());
        assertEquals(404, shop.get("/").statusCode());
    }

    @Test
    void unsupportedMethod_returns405WithAllowHeader() {
        HttpResponse<String> response = shop.send("POST", "/products/1", "{}");

        assertEquals(405, response.statusCode());
        assertEquals("GET, PUT, DELETE", response.headers().firstValue("Allow").orElse(""));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
