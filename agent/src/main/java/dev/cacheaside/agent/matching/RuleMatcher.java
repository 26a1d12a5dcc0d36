package dev.cacheaside.agent.matching;

import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.config.EvictRule;
import dev.cacheaside.agent.config.MethodSpec;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.description.type.TypeList;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches one settings' rules against classes. A rule on a type applies to that type and to every
 * class that extends or implements it, in any class loader; the methods matched are those the class
 * itself declares with the rule's name (and parameter list, when given).
 */
public final class RuleMatcher {

    private final AgentSettings settings;
    private final Set<String> methodNames = new HashSet<>();
    private final Map<String, List<Object>> rulesByType = new HashMap<>();
    private final ClassFileNames classFileNames;
    private final HierarchyIndex hierarchy;

    public RuleMatcher(AgentSettings settings) {
        this.settings = settings;
        for (CacheRule rule : settings.cacheRules().values()) {
            add(rule.method(), rule);
        }
        for (EvictRule rule : settings.evictRules().values()) {
            add(rule.method(), rule);
        }
        this.classFileNames = new ClassFileNames(methodNames);
        this.hierarchy = new HierarchyIndex(rulesByType.keySet());
    }

    /**
     * A second test on the bytes of a class being defined: false when none of its supertypes can lead
     * to a type a rule names. Every class defined must pass through here, so that its subclasses can be
     * decided too; see {@link HierarchyIndex}.
     */
    public boolean mayLeadToRuleType(ClassLoader loader, String internalName, byte[] classFile) {
        return hierarchy.mayLeadToRuleType(loader, internalName, ClassFileNames.directSupertypes(classFile));
    }

    private void add(MethodSpec spec, Object rule) {
        methodNames.add(spec.methodName());
        rulesByType.computeIfAbsent(spec.typeName(), ignored -> new ArrayList<>()).add(rule);
    }

    public AgentSettings settings() {
        return settings;
    }

    /** The binary names of the types the rules name ({@code Outer$Inner}). */
    public Set<String> ruleTypeNames() {
        return Collections.unmodifiableSet(rulesByType.keySet());
    }

    /** The cheapest first test, on the bytes of a class about to be defined; see {@link ClassFileNames}. */
    public boolean mayDeclare(byte[] classFile) {
        return !methodNames.isEmpty() && classFileNames.mayDeclare(classFile);
    }

    /** A cheap first test: does the class declare any method with a name some rule names? */
    public boolean mayMatch(TypeDescription type) {
        if (methodNames.isEmpty() || type.isAnnotation()) {
            return false;
        }
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            if (methodNames.contains(method.getInternalName())) {
                return true;
            }
        }
        return false;
    }

    /** The methods of this class that rules apply to; at most one rule per method. */
    public List<MatchedMethod> match(TypeDescription type) {
        if (!mayMatch(type)) {
            return Collections.emptyList();
        }
        List<Object> rules = new ArrayList<>();
        for (String superType : superTypeNames(type)) {
            List<Object> named = rulesByType.get(superType);
            if (named != null) {
                rules.addAll(named);
            }
        }
        if (rules.isEmpty()) {
            return Collections.emptyList();
        }
        Map<MethodDescription, MatchedMethod> matched = new LinkedHashMap<>();
        boolean audited = false;
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            if (!isTarget(method)) {
                continue;
            }
            for (Object rule : rules) {
                MatchedMethod candidate = candidate(type, method, rule);
                if (candidate != null && !matched.containsKey(method)) {
                    matched.put(method, candidate);
                    audited |= rule instanceof CacheRule && ((CacheRule) rule).auditRate() > 0;
                }
            }
        }
        if (audited) {
            for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
                if (isTarget(method) && !matched.containsKey(method) && MutatorNames.mayChangeData(method)) {
                    matched.put(method, new MatchedMethod(method, MatchedMethod.Kind.WATCH, "", ""));
                }
            }
        }
        return new ArrayList<>(matched.values());
    }

    /** The names of the type, its superclasses and every interface they implement. */
    public static Set<String> superTypeNames(TypeDescription type) {
        Set<String> names = new HashSet<>();
        collect(type, names);
        return names;
    }

    private static void collect(TypeDefinition type, Set<String> names) {
        if (type == null) {
            return;
        }
        String name = type.asErasure().getName();
        // Object has no supertypes; describing it would parse its class file again for every class
        if (!names.add(name) || name.equals("java.lang.Object")) {
            return;
        }
        try {
            TypeDescription.Generic superClass = type.getSuperClass();
            if (superClass != null) {
                collect(superClass.asErasure(), names);
            }
        } catch (RuntimeException ignored) {
            // a superclass that cannot be resolved holds no rule we could apply
        }
        try {
            TypeList.Generic interfaces = type.getInterfaces();
            for (TypeDescription.Generic anInterface : interfaces) {
                collect(anInterface.asErasure(), names);
            }
        } catch (RuntimeException ignored) {
            // as above, for interfaces
        }
    }

    private static boolean isTarget(MethodDescription method) {
        return method.isMethod() && !method.isAbstract() && !method.isNative() && !method.isSynthetic()
                && !method.isBridge();
    }

    private static MatchedMethod candidate(TypeDescription type, MethodDescription method, Object rule) {
        if (rule instanceof CacheRule) {
            CacheRule cache = (CacheRule) rule;
            return matches(cache.method(), method, type)
                    ? new MatchedMethod(method, MatchedMethod.Kind.CACHE, cache.name(), cache.method().toString())
                    : null;
        }
        EvictRule evict = (EvictRule) rule;
        return matches(evict.method(), method, type)
                ? new MatchedMethod(method, MatchedMethod.Kind.EVICT, evict.name(), evict.method().toString())
                : null;
    }

    /**
     * Whether a spec's name and parameter list (if any) fit the method. A parameter list also fits a
     * method that implements a generic supertype method, with the types {@code seenFrom} binds its type
     * variables to: {@code CategoryRepository#findById(Long)} fits the {@code findById(Object)} of a proxy
     * of {@code CategoryRepository extends CrudRepository<Category, Long>}.
     */
    public static boolean matches(MethodSpec spec, MethodDescription method, TypeDescription seenFrom) {
        if (!method.getInternalName().equals(spec.methodName())) {
            return false;
        }
        if (spec.anyParameters() || parametersMatch(spec.parameterTypes(), InheritedMethods.erasedParameters(method))) {
            return true;
        }
        if (seenFrom == null) {
            return false;
        }
        try {
            for (List<String> resolved : InheritedMethods.resolvedParameters(seenFrom, method)) {
                if (parametersMatch(spec.parameterTypes(), resolved)) {
                    return true;
                }
            }
        } catch (RuntimeException | LinkageError unresolved) {
            // a supertype that cannot be read binds no type variable
        }
        return false;
    }

    /** Whether written parameter types (simple or qualified names) fit these, in order. */
    public static boolean parametersMatch(List<String> written, List<String> actual) {
        if (written.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < written.size(); i++) {
            if (!MethodSpec.parameterMatches(written.get(i), actual.get(i))) {
                return false;
            }
        }
        return true;
    }
}
