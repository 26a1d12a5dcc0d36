package dev.cacheaside.agent.it;

import dev.cacheaside.testkit.RedisServer;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A real redis-server for one test class, a plain Jedis to look at it, and config files that point at it. */
final class RedisFixture implements AutoCloseable {

    final RedisServer server;

    RedisFixture() {
        server = RedisServer.startNew();
    }

    /** A fresh connection each time, so that a restarted server is fine. */
    Jedis jedis() {
        return new Jedis("127.0.0.1", server.port(), 2000);
    }

    String get(String key) {
        try (Jedis jedis = jedis()) {
            return jedis.get(key);
        }
    }

    void set(String key, String value) {
        try (Jedis jedis = jedis()) {
            jedis.set(key, value);
        }
    }

    boolean exists(String key) {
        try (Jedis jedis = jedis()) {
            return jedis.exists(key);
        }
    }

    long ttl(String key) {
        try (Jedis jedis = jedis()) {
            return jedis.ttl(key);
        }
    }

    void flush() {
        try (Jedis jedis = jedis()) {
            jedis.flushAll();
        }
    }

    /** Writes an agent.conf pointing at this server; {@code body} goes inside {@code cache-aside { }}. */
    Path config(Path dir, String body) {
        return writeConfig(dir, "cache-aside {\n  redis.uri = \"" + server.uri() + "\"\n  stats-interval = 0\n"
                + body + "\n}\n");
    }

    static Path writeConfig(Path dir, String text) {
        try {
            Path file = Files.createTempFile(dir, "agent", ".conf");
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean await(BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            ForkedApp.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /** The first non-null value within the limit, or null. */
    static <T> T awaitValue(java.util.function.Supplier<T> value, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            T current = value.get();
            if (current != null) {
                return current;
            }
            ForkedApp.sleep(20);
        }
        return value.get();
    }

    @Override
    public void close() {
        server.close();
    }
}
