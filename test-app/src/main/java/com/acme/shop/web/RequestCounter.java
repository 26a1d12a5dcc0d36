package com.acme.shop.web;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Number of catalog requests (products and categories) since the last reset.
 */
final class RequestCounter {

    private final AtomicLong count = new AtomicLong();

    void increment() {
        count.incrementAndGet();
    }

    long get() {
        return count.get();
    }

    long reset() {
        return count.getAndSet(0);
    }
}
