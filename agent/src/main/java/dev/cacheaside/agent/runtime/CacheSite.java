package dev.cacheaside.agent.runtime;

/** A method instrumented by a cache rule. */
final class CacheSite extends Site {

    volatile CacheBinding binding;

    CacheSite(int id, String ruleName, String methodSpec, String methodName, String descriptor) {
        super(id, ruleName, methodSpec, methodName, descriptor);
    }
}
