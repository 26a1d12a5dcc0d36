package com.example.bench;

/** The same 50 ms lookup with no rule: the baseline of {@link FirstCall}. */
public class SlowLookupPlain {

    public Product find(long id) {
        return slowly(id);
    }

    static Product slowly(long id) {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Product.sample(id, 1000);
    }
}
