package dev.cacheaside.agent.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A real Redis and the database that fixture JVMs share, for tests of several JVMs over the same rows. */
abstract class SharedDatabaseTestBase {

    static RedisFixture redis;
    static SharedDatabase database;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRedisAndDatabase() throws Exception {
        redis = new RedisFixture();
        database = new SharedDatabase();
    }

    @AfterAll
    static void stopRedisAndDatabase() throws Exception {
        database.close();
        redis.close();
    }

    @BeforeEach
    void flushRedis() {
        redis.flush();
    }
}
