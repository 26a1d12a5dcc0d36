package com.example.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The benchmark's value: a realistic entity of about 1 KB of JSON with a nested list. */
public class Product {

    private long id;
    private String sku;
    private String name;
    private String description;
    private BigDecimal price;
    private List<String> tags = new ArrayList<>();
    private List<Review> reviews = new ArrayList<>();

    public Product() {
    }

    /** A product whose JSON is about {@code approximateBytes} long (at least ~1 KB's shape, padded). */
    public static Product sample(long id, int approximateBytes) {
        Product product = new Product();
        product.id = id;
        product.sku = "SKU-" + id;
        product.name = "Stainless steel desk lamp " + id;
        product.price = new BigDecimal("49.90");
        product.tags.add("lighting");
        product.tags.add("office");
        product.tags.add("steel");
        int reviews = approximateBytes < 500 ? 0 : 6;
        for (int i = 0; i < reviews; i++) {
            product.reviews.add(new Review(id * 10 + i, "reviewer" + i, 4, "Bright, sturdy and easy to set up."));
        }
        int padding = Math.max(16, approximateBytes - (approximateBytes < 500 ? 90 : 700));
        StringBuilder description = new StringBuilder(padding);
        while (description.length() < padding) {
            description.append("A warm, even light for long evenings. ");
        }
        description.setLength(padding);
        product.description = description.toString();
        return product;
    }

    public long getId() {
        return id;
    }

    public String getSku() {
        return sku;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public BigDecimal getPrice() {
        return price;
    }

    public List<String> getTags() {
        return tags;
    }

    public List<Review> getReviews() {
        return reviews;
    }
}
