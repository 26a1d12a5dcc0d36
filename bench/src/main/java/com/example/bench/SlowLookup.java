package com.example.bench;

/** A 50 ms lookup that a cache rule names; {@link FirstCall} times its first call. */
public class SlowLookup {

    public Product find(long id) {
        return SlowLookupPlain.slowly(id);
    }
}
