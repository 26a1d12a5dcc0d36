package com.example.bench.store;

import com.example.bench.Product;

/**
 * A data-access class as discovery meets it: a cheap read (an in-memory lookup that builds a ~1 KB
 * entity, the worst case for a probe's share of the time), a read as slow as a small database query,
 * and a mutator. Not watched itself: it is the baseline of {@code DiscoveryOverhead}.
 */
public class ProductStore {

    private static final long QUERY_NANOS = 50_000;
    private volatile int priceVersion;

    public Product findById(long id) {
        return Product.sample(id + priceVersion, 1000);
    }

    /** Stands for a database query: the thread is busy for about 50 µs, as it is waiting on a socket. */
    public Product findByIdFromDatabase(long id) {
        long until = System.nanoTime() + QUERY_NANOS;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        return Product.sample(id + priceVersion, 1000);
    }

    public void updatePrice(long id, int cents) {
        priceVersion++;
    }
}
