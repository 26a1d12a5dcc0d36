package com.example.bench;

import java.time.Instant;

/** A small value the agent can prove immutable, so that a near-cache hit on it shares one instance. */
public record PriceTag(long productId, String sku, String currency, long cents, Instant updated) {
}
