package dev.cacheaside.agent.runtime;

import java.lang.ref.WeakReference;

/** A mutator instrumented by an evict rule. */
final class EvictSite extends Site {

    /** Held by the method's class, so it dies with the class's loader. */
    private volatile WeakReference<EvictBinding> binding = new WeakReference<>(null);

    EvictSite(int id, String ruleName, String methodSpec, String methodName, String descriptor, String signature) {
        super(id, ruleName, methodSpec, methodName, descriptor);
        this.signature = signature;
    }

    /** The binding last made, or null (never made, or its class is being collected). */
    EvictBinding binding() {
        return binding.get();
    }

    void bind(EvictBinding made, Class<?> declaringType) {
        ClassAnchors.hold(declaringType, "binding " + id, made);
        binding = new WeakReference<>(made);
    }
}
