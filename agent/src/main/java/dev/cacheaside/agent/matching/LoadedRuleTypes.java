package dev.cacheaside.agent.matching;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A first test for classes already loaded, as {@link HierarchyIndex} is for classes being defined: is
 * the class, or one of its superclasses or interfaces, a type some rule names? It walks
 * {@link Class#getSuperclass} and {@link Class#getInterfaces} only, which the JVM answers from the class
 * itself: nothing is described, no reflection data is built, no class is loaded. A class that fails it
 * cannot be matched by {@link RuleMatcher#match}, so after an attach only the few that pass are
 * described, instead of every class of the application.
 *
 * <p>One instance serves one scan, from one thread; it remembers each class it has decided.
 */
public final class LoadedRuleTypes {

    private final Set<String> ruleTypes = new HashSet<>();
    private final Map<Class<?>, Boolean> decided = new IdentityHashMap<>();

    /** The rule types of all these matchers; a null matcher has none. */
    public LoadedRuleTypes(RuleMatcher... matchers) {
        for (RuleMatcher matcher : matchers) {
            if (matcher != null) {
                ruleTypes.addAll(matcher.ruleTypeNames());
            }
        }
    }

    /** Whether the class is or extends or implements a type some rule names. */
    public boolean leadsToRuleType(Class<?> type) {
        if (type == null || ruleTypes.isEmpty()) {
            return false;
        }
        Boolean known = decided.get(type);
        if (known != null) {
            return known;
        }
        boolean leads = ruleTypes.contains(type.getName()) || leadsToRuleType(type.getSuperclass());
        for (Class<?> anInterface : leads ? new Class<?>[0] : type.getInterfaces()) {
            if (leadsToRuleType(anInterface)) {
                leads = true;
                break;
            }
        }
        decided.put(type, leads);
        return leads;
    }
}
