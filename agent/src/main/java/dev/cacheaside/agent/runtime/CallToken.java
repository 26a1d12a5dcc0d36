package dev.cacheaside.agent.runtime;

/** What enter hands to exit when the body runs: the key and binding, and what to do with the result. */
final class CallToken {

    enum Action {
        /** A miss: store the result. */
        STORE,
        /** Shadow mode, or a call that must not write: only count. */
        OBSERVE,
        /** An audited hit: compare the result with the cached JSON. */
        AUDIT
    }

    final String key;
    final CacheBinding binding;
    final Action action;
    final byte[] cached;

    CallToken(String key, CacheBinding binding, Action action, byte[] cached) {
        this.key = key;
        this.binding = binding;
        this.action = action;
        this.cached = cached;
    }
}
