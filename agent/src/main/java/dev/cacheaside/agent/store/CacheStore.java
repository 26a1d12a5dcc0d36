package dev.cacheaside.agent.store;

import java.util.Collection;

/** The Redis operations the cache needs. Every method is bounded by the configured timeout. */
public interface CacheStore extends AutoCloseable {

    /** The value at the key, or null when there is none. */
    byte[] get(String key) throws StoreException;

    /** Sets the value with a time to live. */
    void set(String key, byte[] value, long ttlMillis) throws StoreException;

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
