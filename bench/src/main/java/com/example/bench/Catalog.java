package com.example.bench;

import java.time.Instant;

/**
 * The methods the benchmark calls. Each returns a prebuilt value, so a miss measures the cache's own
 * work. {@code findCached}, {@code findNear} (with a near cache), {@code findPriceTag} (a near cache over
 * an immutable record), {@code findMiss} and {@code findSized} carry cache rules; {@code findUncounted} and
 * {@code findNearUncounted} the same rules with {@code metrics = false}; {@code findIdle} a rule with
 * {@code mode = off}; {@code findPlain} none.
 */
public class Catalog {

    private final Product product = Product.sample(1, 1000);
    private final PriceTag priceTag = new PriceTag(1, "SKU-000001", "EUR", 4990, Instant.parse("2026-01-02T03:04:05Z"));

    public Product findCached(long id) {
        return product;
    }

    public Product findNear(long id) {
        return product;
    }

    public PriceTag findPriceTag(long id) {
        return priceTag;
    }

    public Product findUncounted(long id) {
        return product;
    }

    public Product findNearUncounted(long id) {
        return product;
    }

    public Product findMiss(long id) {
        return product;
    }

    public Product findIdle(long id) {
        return product;
    }

    public Product findPlain(long id) {
        return product;
    }

    public Product findSized(long id, int bytes) {
        return Product.sample(id, bytes);
    }
}
