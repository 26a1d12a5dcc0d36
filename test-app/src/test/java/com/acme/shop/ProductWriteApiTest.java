package com.acme.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each test writes to its own product (ids 1905-1907, categories 5-8) so that
 * the read-only tests elsewhere can rely on the seeded data.
 */
@ExtendWith(RunningShop.class)
class ProductWriteApiTest {

    private final ShopClient shop;

    ProductWriteApiTest(ShopClient shop) {
        this.shop = shop;
    }

    @Test
    void update_thenRead_showsNewValues() {
        ObjectNode product = (ObjectNode) shop.getJson("/products/1905");
        long updatedBefore = product.get("updatedAtEpochMillis").asLong();
        product.put("name", "Renamed Desk Lamp");
        product.put("price", new BigDecimal("77.70"));
        product.put("status", "DISCONTINUED");

        HttpResponse<String> response = shop.send("PUT", "/products/1905", ShopClient.toJson(product));

        assertEquals(200, response.statusCode(), response.body());
        JsonNode updated = ShopClient.json(response);
        JsonNode reread = shop.getJson("/products/1905");
        assertEquals(updated, reread);
        assertEquals("Renamed Desk Lamp", reread.get("name").asText());
        assertEquals(0, new BigDecimal("77.70").compareTo(reread.get("price").decimalValue()));
        assertEquals("DISCONTINUED", reread.get("status").asText());
        assertTrue(reread.get("updatedAtEpochMillis").asLong() > updatedBefore);
        assertEquals(product.get("reviewCount"), reread.get("reviewCount"));
    }

    @Test
    void update_absent_returns404() {
        HttpResponse<String> response = shop.send("PUT", "/products/999999", validProduct("SKU-GHOST").toString());

        assertEquals(404, response.statusCode());
    }

    @Test
    void update_invalidBody_returns400() {
        ObjectNode withoutName = validProduct("SKU-01905");
        withoutName.remove("name");
        ObjectNode otherId = validProduct("SKU-01905").put("id", 1906);

        assertEquals(400, shop.send("PUT", "/products/1905", withoutName.toString()).statusCode());
        assertEquals(400, shop.send("PUT", "/products/1905", otherId.toString()).statusCode());
        assertEquals(400, shop.send("PUT", "/products/1905", "{\"name\": ").statusCode());
        assertEquals(400, shop.send("PUT", "/products/1905", "[1, 2]").statusCode());
    }

    @Test
    void updatePrice_thenRead_showsNewPrice() {
        HttpResponse<String> response = shop.send("PATCH", "/products/1906/price", "{\"price\": 12.5}");

        assertEquals(204, response.statusCode(), response.body());
        JsonNode price = shop.getJson("/products/1906").get("price");
        assertEquals(0, new BigDecimal("12.5").compareTo(price.decimalValue()));
    }

    @Test
    void updatePrice_invalidPrice_returns400() {
        assertEquals(400, shop.send("PATCH", "/products/1906/price", "{\"price\": -1}").statusCode());
        assertEquals(400, shop.send("PATCH", "/products/1906/price", "{\"price\": \"cheap\"}").statusCode());
        assertEquals(400, shop.send("PATCH", "/products/1906/price", "{\"cost\": 3}").statusCode());
        assertEquals(400, shop.send("PATCH", "/products/1906/price", "{\"price\": 1e12}").statusCode());
        assertEquals(400, shop.send("PATCH", "/products/1906/price", "").statusCode());
    }

    @Test
    void updatePrice_absent_returns404() {
        assertEquals(404, shop.send("PATCH", "/products/999999/price", "{\"price\": 3}").statusCode());
    }

    @Test
    void delete_thenRead_returns404() {
        assertEquals(200, shop.get("/products/1907").statusCode());

        assertEquals(204, shop.send("DELETE", "/products/1907", null).statusCode());

        assertEquals(404, shop.get("/products/1907").statusCode());
        assertEquals(404, shop.get("/products/by-sku/SKU-01907").statusCode());
        assertEquals(404, shop.send("DELETE", "/products/1907", null).statusCode());
    }

    @Test
    void insert_returns201WithGeneratedIdAndLocation() {
        HttpResponse<String> response = shop.send("POST", "/products", validProduct("TEST-INSERT-1").toString());

        assertEquals(201, response.statusCode(), response.body());
        JsonNode created = ShopClient.json(response);
        long id = created.get("id").asLong();
        assertTrue(id > 2000, "generated id " + id);
        assertEquals("/products/" + id, response.headers().firstValue("Location").orElse(""));
        assertEquals("Travel", created.get("categoryName").asText());
        assertEquals("ACTIVE", created.get("status").asText());
        assertEquals(0, created.get("reviewCount").asInt());
        assertEquals(created, shop.getJson("/products/" + id));
    }

    @Test
    void insert_duplicateSku_returns409() {
        assertEquals(409, shop.send("POST", "/products", validProduct("SKU-00001").toString()).statusCode());
    }

    @Test
    void insert_unknownCategoryOrStatus_returns400() {
        ObjectNode unknownCategory = validProduct("TEST-INSERT-2").put("categoryId", 999);
        ObjectNode unknownStatus = validProduct("TEST-INSERT-3").put("status", "SOLD_OUT");

        assertEquals(400, shop.send("POST", "/products", unknownCategory.toString()).statusCode());
        assertEquals(400, shop.send("POST", "/products", unknownStatus.toString()).statusCode());
        assertEquals(400, shop.send("POST", "/products", "").statusCode());
        assertEquals(400, shop.send("POST", "/products", "null").statusCode());
    }

    private static ObjectNode validProduct(String sku) {
        ObjectNode product = ShopClient.object();
        product.put("sku", sku);
        product.put("name", "Test Packing Cubes");
        product.put("description", "Inserted by a test.");
        product.put("price", new BigDecimal("19.99"));
        product.put("categoryId", 14);
        return product;
    }
}
