package dev.cacheaside.agent.matching;

import net.bytebuddy.description.method.MethodDescription;

/** A method of a class that a rule applies to. */
public final class MatchedMethod {

    /** Whether the rule caches the method or evicts after it. */
    public enum Kind { CACHE, EVICT }

    private final MethodDescription method;
    private final Kind kind;
    private final String ruleName;
    private final String methodSpec;

    MatchedMethod(MethodDescription method, Kind kind, String ruleName, String methodSpec) {
        this.method = method;
        this.kind = kind;
        this.ruleName = ruleName;
        this.methodSpec = methodSpec;
    }

    public MethodDescription method() {
        return method;
    }

    public Kind kind() {
        return kind;
    }

    public String ruleName() {
        return ruleName;
    }

    public String methodSpec() {
        return methodSpec;
    }
}
