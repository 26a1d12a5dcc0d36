package dev.cacheaside.agent.store;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A Lua script called by its SHA1 ({@code EVALSHA}), so a call sends a few arguments instead of the script's
 * text; a server that does not know it yet (a restart, {@code SCRIPT FLUSH}, a new node) gets the text once
 * ({@code EVAL}), which also loads it there.
 */
final class LuaScript {

    private final byte[] body;
    private final byte[] sha1;

    LuaScript(String body) {
        this.body = body.getBytes(StandardCharsets.US_ASCII);
        this.sha1 = hexSha1(this.body);
    }

    Object call(UnifiedJedis jedis, List<byte[]> keys, List<byte[]> arguments) {
        try {
            return jedis.evalsha(sha1, keys, arguments);
        } catch (JedisNoScriptException unknownHere) {
            return jedis.eval(body, keys, arguments);
        }
    }

    private static byte[] hexSha1(byte[] text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text);
            StringBuilder hex = new StringBuilder(40);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString().getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
