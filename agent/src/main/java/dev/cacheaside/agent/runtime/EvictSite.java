package dev.cacheaside.agent.runtime;

/** A mutator instrumented by an evict rule. */
final class EvictSite extends Site {

    volatile EvictBinding binding;

    EvictSite(int id, String ruleName, String methodSpec, String methodName, String descriptor, String signature) {
        super(id, ruleName, methodSpec, methodName, descriptor);
        this.signature = signature;
    }
}
