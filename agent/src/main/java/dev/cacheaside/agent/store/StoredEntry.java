package dev.cacheaside.agent.store;

/** A value read together with its key's remaining time to live, in one round trip. */
public final class StoredEntry {

    private final byte[] value;
    private final long remainingTtlMillis;

    public StoredEntry(byte[] value, long remainingTtlMillis) {
        this.value = value;
        this.remainingTtlMillis = remainingTtlMillis;
    }

    /** The value, or null when the key is absent. */
    public byte[] value() {
        return value;
    }

    /** Milliseconds left; negative when the key is absent or never expires. */
    public long remainingTtlMillis() {
        return remainingTtlMillis;
    }
}
