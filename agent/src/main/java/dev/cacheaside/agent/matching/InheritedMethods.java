package dev.cacheaside.agent.matching;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The methods a type inherits from its generic supertypes, with their type variables resolved to the
 * type's arguments: {@code CategoryRepository extends JpaRepository<Category, Long>} inherits
 * {@code CrudRepository.findById(ID)} as {@code findById(java.lang.Long)}, though its class file (and that
 * of a JDK proxy implementing it) declares the erased {@code findById(java.lang.Object)}.
 */
public final class InheritedMethods {

    private InheritedMethods() {
    }

    /** The parameter types of a method as people write them: erased, fully qualified, arrays as {@code byte[]}. */
    public static List<String> erasedParameters(MethodDescription method) {
        List<String> names = new ArrayList<>();
        for (ParameterDescription parameter : method.getParameters()) {
            names.add(parameter.getType().asErasure().getActualName());
        }
        return names;
    }

    /**
     * The parameter lists, with type variables resolved as {@code seenFrom} binds them, of the supertype
     * methods that {@code method} implements (same name, same erased parameters), less those the hierarchy
     * also declares with exactly those types: where {@code ReviewRepository} redeclares {@code findById(Long)},
     * {@code findById(Long)} means that method, not the erased {@code findById(Object)} of a proxy.
     */
    static List<List<String>> resolvedParameters(TypeDescription seenFrom, MethodDescription method) {
        List<String> erased = erasedParameters(method);
        List<List<String>> resolved = new ArrayList<>();
        Set<List<String>> declared = new HashSet<>();
        for (MethodDescription inherited : visible(seenFrom, method.getInternalName())) {
            List<String> definedErasure = erasedParameters(inherited.asDefined());
            declared.add(definedErasure);
            if (definedErasure.equals(erased)) {
                List<String> types = erasedParameters(inherited);
                if (!types.equals(erased) && !resolved.contains(types)) {
                    resolved.add(types);
                }
            }
        }
        resolved.removeAll(declared);
        return resolved;
    }

    /**
     * The instance methods a JDK proxy of this interface declares: every abstract and default method of
     * the interface and its super-interfaces, one per name and erased parameter list, the most specific
     * first. A Spring Data repository has no other implementation: its rules apply to these. Each is
     * given as the interface sees it (type variables bound); its {@code asDefined()} is what the proxy declares.
     */
    public static List<MethodDescription> ofProxy(TypeDescription anInterface) {
        Map<String, MethodDescription> methods = new LinkedHashMap<>();
        for (MethodDescription method : visible(anInterface, null)) {
            MethodDescription.InDefinedShape defined = method.asDefined();
            if (defined.isStatic() || defined.isPrivate() || !defined.isMethod() || defined.isSynthetic()) {
                continue;
            }
            String key = defined.getInternalName() + erasedParameters(defined);
            if (!methods.containsKey(key)) {
                methods.put(key, method);
            }
        }
        return new ArrayList<>(methods.values());
    }

    /**
     * The methods of the type and of its generic supertypes, as seen from the type (type variables
     * bound), with this name or every name for null; the type's own first, then breadth first upward.
     */
    public static List<MethodDescription> visible(TypeDescription type, String name) {
        List<MethodDescription> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<TypeDefinition> level = new ArrayList<>();
        level.add(type.asGenericType());
        while (!level.isEmpty()) {
            List<TypeDefinition> next = new ArrayList<>();
            for (TypeDefinition current : level) {
                String erasure;
                try {
                    erasure = current.asErasure().getName();
                } catch (RuntimeException unresolved) {
                    continue;
                }
                if (!seen.add(erasure) || erasure.equals("java.lang.Object")) {
                    continue;
                }
                try {
                    for (MethodDescription method : current.getDeclaredMethods()) {
                        if (name == null || method.getInternalName().equals(name)) {
                            found.add(method);
                        }
                    }
                } catch (RuntimeException unresolved) {
                    // a supertype that cannot be read contributes no methods
                }
                try {
                    if (current.getSuperClass() != null) {
                        next.add(current.getSuperClass());
                    }
                } catch (RuntimeException unresolved) {
                    // as above
                }
                try {
                    for (TypeDescription.Generic anInterface : current.getInterfaces()) {
                        next.add(anInterface);
                    }
                } catch (RuntimeException unresolved) {
                    // as above
                }
            }
            level = next;
        }
        return found;
    }
}
