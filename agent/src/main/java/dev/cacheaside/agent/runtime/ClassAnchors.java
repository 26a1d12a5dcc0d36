package dev.cacheaside.agent.runtime;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps what the agent derives from an application class (its reflected methods, its bindings with their
 * Jackson types, near caches and codec) alive exactly as long as that class. The value sits in the class's
 * own {@link ClassValue} map, so it points back at the class without keeping the class, or its loader,
 * reachable from the agent: an undeployed web application's loader can be collected. The agent's own
 * structures hold such values only weakly.
 */
final class ClassAnchors {

    private static final ClassValue<ConcurrentHashMap<String, Object>> HELD =
            new ClassValue<ConcurrentHashMap<String, Object>>() {
                @Override
                protected ConcurrentHashMap<String, Object> computeValue(Class<?> type) {
                    return new ConcurrentHashMap<>();
                }
            };

    private ClassAnchors() {
    }

    /** Keeps {@code value} alive while {@code owner} is, replacing what was held in the same slot. */
    static void hold(Class<?> owner, String slot, Object value) {
        HELD.get(owner).put(slot, value);
    }
}
