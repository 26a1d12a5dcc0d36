package com.example.bench;

import org.springframework.cache.annotation.Cacheable;

/** The peer most users would pick: Spring's {@code @Cacheable} on a Redis cache manager. */
public class SpringCatalog {

    private final Product product = Product.sample(1, 1000);

    @Cacheable("products")
    public Product find(long id) {
        return product;
    }
}
