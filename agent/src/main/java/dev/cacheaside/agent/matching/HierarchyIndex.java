package dev.cacheaside.agent.matching;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, for the classes defined since the rules took effect, whether each one is or extends or
 * implements a type some rule names, so that a new class whose direct supertypes are all known not to
 * can be turned down on its bytes alone, before Byte Buddy describes it. A supertype the index has not
 * seen (loaded earlier, or not yet) makes the answer unknown, and the full matcher decides, so the
 * index can only save work, never skip a class a rule applies to.
 *
 * <p>Answers are kept per class loader; a supertype is looked up in the loader of the class and then
 * in its parents, where parent-first delegation would find it.
 */
public final class HierarchyIndex {

    private static final String OBJECT = "java/lang/Object";

    private final Set<String> ruleTypes = new HashSet<>();
    private final boolean rulesOnJdkTypes;
    private final Map<ClassLoader, Map<String, Boolean>> byLoader = new WeakHashMap<>();
    private final Map<String, Boolean> ofBootLoader = new ConcurrentHashMap<>();

    HierarchyIndex(Collection<String> ruleTypeNames) {
        boolean jdk = false;
        for (String name : ruleTypeNames) {
            ruleTypes.add(name.replace('.', '/'));
            jdk |= SkippedTypes.isJdk(name.replace('.', '/'));
        }
        this.rulesOnJdkTypes = jdk;
    }

    /**
     * Records a class being defined and answers whether it may lead to a rule type: false only when it
     * is not one itself and every direct supertype is known not to lead to one.
     */
    public boolean mayLeadToRuleType(ClassLoader loader, String internalName, String[] supertypes) {
        Boolean leads = decide(loader, internalName, supertypes);
        if (leads != null) {
            Map<String, Boolean> known = known(loader);
            // a second class of the same name in the same loader cannot exist; keep the first answer
            known.putIfAbsent(internalName, leads);
        }
        return leads == null || leads;
    }

    private Boolean decide(ClassLoader loader, String internalName, String[] supertypes) {
        if (ruleTypes.contains(internalName)) {
            return Boolean.TRUE;
        }
        if (supertypes == null) {
            return null;
        }
        boolean unknown = false;
        for (String supertype : supertypes) {
            Boolean leads = leadsFrom(loader, supertype);
            if (leads == null) {
                unknown = true;
            } else if (leads) {
                return Boolean.TRUE;
            }
        }
        return unknown ? null : Boolean.FALSE;
    }

    private Boolean leadsFrom(ClassLoader loader, String supertype) {
        if (ruleTypes.contains(supertype)) {
            return Boolean.TRUE;
        }
        if (supertype.equals(OBJECT) || (SkippedTypes.isJdk(supertype) && !rulesOnJdkTypes)) {
            return Boolean.FALSE; // a JDK type never extends an application's type
        }
        for (ClassLoader current = loader; ; current = current.getParent()) {
            Boolean known = current == null ? ofBootLoader.get(supertype) : lookup(current, supertype);
            if (known != null || current == null) {
                return known;
            }
        }
    }

    private Boolean lookup(ClassLoader loader, String name) {
        Map<String, Boolean> known;
        synchronized (byLoader) {
            known = byLoader.get(loader);
        }
        return known == null ? null : known.get(name);
    }

    private Map<String, Boolean> known(ClassLoader loader) {
        if (loader == null) {
            return ofBootLoader;
        }
        synchronized (byLoader) {
            return byLoader.computeIfAbsent(loader, ignored -> new ConcurrentHashMap<>());
        }
    }
}
