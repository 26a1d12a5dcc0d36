package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.codec.CodecException;
import dev.cacheaside.agent.codec.JsonCodec;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.TemporalAccessor;
import java.util.Date;
import java.util.UUID;

/**
 * How a value stands in a key: its text for strings, numbers, booleans, enums, UUIDs and dates; a
 * stable digest of its JSON for anything else, so that a key never depends on an object's
 * {@code toString} or identity.
 */
final class ArgumentText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int DIGEST_BYTES = 16;
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private ArgumentText() {
    }

    static void append(StringBuilder key, Object value, JsonCodec codec) throws CodecException {
        if (value == null) {
            key.append("null");
        } else if (value instanceof CharSequence) {
            key.append((CharSequence) value);
        } else if (value instanceof BigDecimal) {
            key.append(((BigDecimal) value).toPlainString());
        } else if (value instanceof Number || value instanceof Boolean || value instanceof Character
                || value instanceof UUID || value instanceof TemporalAccessor) {
            key.append(value);
        } else if (value instanceof Enum) {
            key.append(((Enum<?>) value).name());
        } else if (value instanceof Date) {
            // java.sql.Date and Time have no instant; named by string so that java.sql need not be present
            String type = value.getClass().getName();
            key.append(type.equals("java.sql.Date") || type.equals("java.sql.Time")
                    ? value.toString() : ((Date) value).toInstant().toString());
        } else {
            appendDigest(key, codec.encodeForDigest(value));
        }
    }

    static void appendDigest(StringBuilder key, byte[] json) {
        MessageDigest digest = SHA_256.get();
        digest.reset();
        byte[] hash = digest.digest(json);
        for (int i = 0; i < DIGEST_BYTES; i++) {
            key.append(HEX[(hash[i] >> 4) & 0xf]).append(HEX[hash[i] & 0xf]);
        }
    }
}
