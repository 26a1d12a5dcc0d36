package com.example.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.LongFunction;

/** What a developer writes by hand: Jedis GET and Jackson read; on a miss, the method and SET EX. */
final class HandWrittenCache {

    private final UnifiedJedis jedis;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    HandWrittenCache(UnifiedJedis jedis, ObjectMapper mapper) {
        this.jedis = jedis;
        this.reader = mapper.readerFor(Product.class);
        this.writer = mapper.writerFor(Product.class);
    }

    Product get(String key, long id, LongFunction<Product> method, long ttlSeconds) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        try {
            byte[] cached = jedis.get(keyBytes);
            if (cached != null) {
                return reader.readValue(cached);
            }
            Product product = method.apply(id);
            jedis.set(keyBytes, writer.writeValueAsBytes(product), SetParams.setParams().ex(ttlSeconds));
            return product;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
