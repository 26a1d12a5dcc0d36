package dev.cacheaside.agent.matching;

import net.bytebuddy.description.method.MethodDescription;

/** A method of a class that a rule applies to. */
public final class MatchedMethod {

    /**
     * Whether the rule caches the method or evicts after it; WATCH marks a method that may change the
     * data of an audited cache rule on the same class, timed so that the audit can name it.
     */
    public enum Kind { CACHE, EVICT, WATCH }

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

    /** The method as people write it: {@code name(long, java.math.BigDecimal)}. */
    public String signature() {
        StringBuilder text = new StringBuilder(method.getInternalName()).append('(');
        String separator = "";
        for (net.bytebuddy.description.method.ParameterDescription parameter : method.getParameters()) {
            text.append(separator).append(parameter.getType().asErasure().getActualName());
            separator = ", ";
        }
        return text.append(')').toString();
    }
}
