package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.codec.CodecException;
import dev.cacheaside.agent.codec.JsonCodec;
import dev.cacheaside.agent.config.KeyTemplate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.TemporalAccessor;
import java.util.Date;
import java.util.UUID;

/**
 * How a value stands in a key: its text for strings, numbers, booleans, enums, UUIDs and dates; a
 * stable digest of its runtime class and JSON for anything else, so that a key never depends on an
 * object's {@code toString} or identity.
 *
 * <p>Distinct values never render alike. Inside a value's text, the escape character {@code %}, the
 * template's separators and lone surrogates (which Redis would receive as {@code ?}) become
 * {@code %XX} or {@code %uXXXX}; {@code null} renders as {@code %null}, which no text does. Text without
 * those characters renders as it is, so {@code user:{0}} with 42 is {@code user:42}. A scalar's identity
 * is its text: an id passed as {@code int}, {@code long} or string is one id, so that an evict rule
 * reading a {@code Long} property meets the entry of a method taking {@code long}.
 */
final class ArgumentText {

    static final String NULL = KeyTemplate.ESCAPE + "null";

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();
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

    /**
     * Appends the value's text, escaping {@link KeyTemplate#ESCAPE}, each of {@code separators} and lone
     * surrogates.
     */
    static void append(StringBuilder key, Object value, JsonCodec codec, String separators) throws CodecException {
        if (value == null) {
            key.append(NULL);
        } else if (value instanceof CharSequence) {
            appendEscaped(key, (CharSequence) value, separators);
        } else if (value instanceof BigDecimal) {
            appendEscaped(key, ((BigDecimal) value).toPlainString(), separators);
        } else if (value instanceof Number || value instanceof Boolean || value instanceof Character
                || value instanceof UUID || value instanceof TemporalAccessor) {
            appendEscaped(key, value.toString(), separators);
        } else if (value instanceof Enum) {
            appendEscaped(key, ((Enum<?>) value).name(), separators);
        } else if (value instanceof Date) {
            // java.sql.Date and Time have no instant; named by string so that java.sql need not be present
            String type = value.getClass().getName();
            appendEscaped(key, type.equals("java.sql.Date") || type.equals("java.sql.Time")
                    ? value.toString() : ((Date) value).toInstant().toString(), separators);
        } else {
            appendDigest(key, new Object[] {value}, codec);
        }
    }

    /**
     * Appends a digest of the values: each one's runtime class and JSON, so that two classes with the
     * same JSON, or {@code null} and {@code "null"}, digest apart.
     */
    static void appendDigest(StringBuilder key, Object[] values, JsonCodec codec) throws CodecException {
        MessageDigest digest = SHA_256.get();
        digest.reset();
        for (Object value : values) {
            byte[] type = value == null ? new byte[0] : value.getClass().getName().getBytes(StandardCharsets.UTF_8);
            byte[] json = codec.encodeForDigest(value);
            updateLength(digest, type.length);
            digest.update(type);
            updateLength(digest, json.length);
            digest.update(json);
        }
        byte[] hash = digest.digest();
        for (int i = 0; i < DIGEST_BYTES; i++) {
            key.append(HEX[(hash[i] >> 4) & 0xf]).append(HEX[hash[i] & 0xf]);
        }
    }

    private static void updateLength(MessageDigest digest, int length) {
        digest.update((byte) (length >>> 24));
        digest.update((byte) (length >>> 16));
        digest.update((byte) (length >>> 8));
        digest.update((byte) length);
    }

    static void appendEscaped(StringBuilder key, CharSequence text, String separators) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                key.append(c).append(text.charAt(++i));
            } else if (c == KeyTemplate.ESCAPE || separators.indexOf(c) >= 0 || Character.isSurrogate(c)) {
                key.append(KeyTemplate.ESCAPE);
                if (c < 0x100) {
                    key.append(UPPER_HEX[c >> 4]).append(UPPER_HEX[c & 0xf]);
                } else {
                    key.append('u').append(UPPER_HEX[c >> 12]).append(UPPER_HEX[(c >> 8) & 0xf])
                            .append(UPPER_HEX[(c >> 4) & 0xf]).append(UPPER_HEX[c & 0xf]);
                }
            } else {
                key.append(c);
            }
        }
    }
}
