package dev.cacheaside.agent.store;

import java.util.Collection;

/** The Redis operations the cache needs. Every method is bounded by the configured timeout. */
public interface CacheStore extends AutoCloseable {

    /** The value at the key, or null when there is none. */
    byte[] get(String key) throws StoreException;

    /** The key's remaining time to live in milliseconds; negative when the key is absent or never expires. */
    long remainingTtlMillis(String key) throws StoreException;

    /** The value and the key's remaining time to live together; atomic where the store can make it so. */
    default StoredEntry getWithTtl(String key) throws StoreException {
        byte[] value = get(key);
        return new StoredEntry(value, value == null ? -2 : remainingTtlMillis(key));
    }

    /** The values at the keys, in their order, null where a key is absent; one round trip where the store can. */
    default java.util.List<byte[]> getAll(java.util.List<String> keys) throws StoreException {
        java.util.List<byte[]> values = new java.util.ArrayList<byte[]>(keys.size());
        for (String key : keys) {
            values.add(get(key));
        }
        return values;
    }

    /** Sets the value with a time to live. */
    void set(String key, byte[] value, long ttlMillis) throws StoreException;

    /** Sets the value only where the key is absent ({@code SET NX PX}); true when it was set. */
    boolean setIfAbsent(String key, byte[] value, long ttlMillis) throws StoreException;

    /** Whether {@link #getOrSetIfAbsent} costs one round trip, as a plain GET does. */
    default boolean looksUpWithLease() {
        return false;
    }

    /**
     * A lookup that takes a fill's lease in the same step: the value at the key, or null when the key was
     * absent and now holds {@code value} with the TTL. Atomic; one round trip where the server can.
     */
    default byte[] getOrSetIfAbsent(String key, byte[] value, long ttlMillis) throws StoreException {
        byte[] found = get(key);
        while (found == null) {
            if (setIfAbsent(key, value, ttlMillis)) {
                return null;
            }
            found = get(key);
        }
        return found;
    }

    /** Replaces the value only while the key still holds {@code expected}, in one atomic step; true when set. */
    boolean replaceIfEquals(String key, byte[] expected, byte[] value, long ttlMillis) throws StoreException;

    /** Deletes the key only while it holds {@code expected}. */
    void deleteIfEquals(String key, byte[] expected) throws StoreException;

    /** Deletes the keys; absent keys are fine. */
    void delete(Collection<String> keys) throws StoreException;

    /** Deletes every key matching a SCAN pattern, in batches, on every master; returns how many. */
    long deleteMatching(String pattern) throws StoreException;

    /** Succeeds when Redis answers. */
    void ping() throws StoreException;

    /** Whether calls are worth making now; false while the circuit is open. */
    boolean isAvailable();

    /** Where this store connects, without credentials. */
    String describe();

    @Override
    void close();
}
