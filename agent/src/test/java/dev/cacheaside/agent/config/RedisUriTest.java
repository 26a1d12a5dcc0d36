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
}
