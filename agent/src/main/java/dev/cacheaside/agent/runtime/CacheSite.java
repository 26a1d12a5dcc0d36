package dev.cacheaside.agent.runtime;

import java.lang.ref.WeakReference;

/** A method instrumented by a cache rule. */
final class CacheSite extends Site {

    /** Held by the method's class, so it dies with the class's loader. */
    private volatile WeakReference<CacheBinding> binding = new WeakReference<>(null);

    CacheSite(int id, String ruleName, String methodSpec, String methodName, String descriptor) {
        super(id, ruleName, methodSpec, methodName, descriptor);
    }

    /** The binding last made, or null (never made, or its class is being collected). */
    CacheBinding binding() {
        return binding.get();
    }

    void bind(CacheBinding made, Class<?> declaringType) {
        ClassAnchors.hold(declaringType, "binding " + id, made);
        binding = new WeakReference<>(made);
    }
}
