package dev.cacheaside.agent.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisUriTest {

    @Test
    void parse_everyPart() {
        RedisUri uri = RedisUri.parse("rediss://app:p%40ss@cache.example:6380/3");

        assertTrue(uri.tls());
        assertEquals("cache.example", uri.host());
        assertEquals(6380, uri.port());
        assertEquals("app", uri.user());
        assertEquals("p@ss", uri.password());
        assertEquals(3, uri.database());
        assertEquals("rediss://app:***@cache.example:6380/3", uri.toString());
    }

    @Test
    void parse_passwordOnly_andDefaults() {
        RedisUri uri = RedisUri.parse("redis://:secret@localhost");

        assertNull(uri.user());
        assertEquals("secret", uri.password());
        assertEquals(6379, uri.port());
        assertFalse(uri.toString().contains("secret"));
    }

    @Test
    void parse_errors_neverShowThePassword() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> RedisUri.parse("redis://u:topsecret@host:6379/x")).getMessage();

        assertFalse(message.contains("topsecret"), message);
        assertTrue(message.contains("database must be a number"), message);
    }

    @Test
    void mask_replacesPasswordOnly() {
        assertEquals("redis://u:***@h:1", RedisUri.mask("redis://u:pw@h:1"));
        assertEquals("redis://h:1", RedisUri.mask("redis://h:1"));
    }

    @Test
    void parse_missingSlashesTypo_neverShowsThePassword() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> RedisUri.parse("redis//app:S3cret@cache:6379")).getMessage();

        assertFalse(message.contains("S3cret"), message);
        assertTrue(message.contains("app:***@cache:6379"), message);
    }

    @Test
    void mask_userinfoInAnyForm() {
        for (String text : new String[] {"redis//app:S3cret@cache:6379", "redis:app:S3cret@cache", "app:S3cret@cache",
            "redis://app:S3/cret@cache", "redis://app:S3@cret@cache", "redis:/app:S3cret@cache", "//app:S3cret@cache"}) {
            assertFalse(RedisUri.mask(text).contains("S3"), text + " -> " + RedisUri.mask(text));
        }
        assertEquals("redis//app:***@cache:6379", RedisUri.mask("redis//app:S3cret@cache:6379"));
    }

    @Test
    void parse_hostWithUnderscore_isAccepted() {
        RedisUri uri = RedisUri.parse("redis://app:pw@redis_primary.internal:6380/2");

        assertEquals("redis_primary.internal", uri.host());
        assertEquals(6380, uri.port());
        assertEquals("app", uri.user());
        assertEquals("pw", uri.password());
        assertEquals(2, uri.database());
        assertEquals("cache_1", RedisUri.parse("rediss://cache_1").host());
        assertEquals(6379, RedisUri.parse("rediss://cache_1").port());
    }
}
