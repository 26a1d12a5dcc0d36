package com.example.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Methods that stand for a database: each read of one product takes {@code millis}. {@code find} and
 * {@code findRefreshed} carry the same rule but for refresh-ahead; {@code findOne} and {@code findMany}
 * share one entry per product, single and bulk.
 */
public class SlowCatalog {

    final AtomicLong bodyRuns = new AtomicLong();
    final AtomicLong refreshedBodyRuns = new AtomicLong();
    private final long millis;

    public SlowCatalog(long millis) {
        this.millis = millis;
    }

    public Product find(long id) {
        bodyRuns.incrementAndGet();
        return read(id);
    }

    public Product findRefreshed(long id) {
        refreshedBodyRuns.incrementAndGet();
        return read(id);
    }

    public Product findOne(long id) {
        return Product.sample(id, 200);
    }

    public List<Product> findMany(List<Long> ids) {
        List<Product> products = new ArrayList<>();
        for (Long id : ids) {
            products.add(Product.sample(id, 200));
        }
        return products;
    }

    private Product read(long id) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Product.sample(id, 200);
    }
}
