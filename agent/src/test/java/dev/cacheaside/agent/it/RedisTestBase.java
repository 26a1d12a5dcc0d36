package dev.cacheaside.agent.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * What most integration tests share: one real redis-server per test class, emptied before each test,
 * a temporary folder for config files, and the JDKs to run on.
 */
abstract class RedisTestBase {

    static RedisFixture redis;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRedis() {
        redis = new RedisFixture();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void flushRedis() {
        redis.flush();
    }

    static List<Path> jdks() {
        return Jdks.all();
    }
}
