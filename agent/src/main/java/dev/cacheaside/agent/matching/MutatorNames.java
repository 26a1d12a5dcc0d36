package dev.cacheaside.agent.matching;

import net.bytebuddy.description.method.MethodDescription;

import java.util.Arrays;
import java.util.List;

/**
 * Which methods of a class with an audited rule are watched as possible mutators: every non-private
 * method except those whose name says it reads (a {@code get}, {@code find}, {@code list} ... prefix
 * followed by a capital or nothing) and {@code Object}'s own. A mutator with an unusual name is still
 * watched; a reader with one costs a timestamp per call.
 */
final class MutatorNames {

    private static final List<String> READER_PREFIXES = Arrays.asList("get", "is", "has", "find", "list", "count",
            "load", "read", "fetch", "select", "search", "query", "lookup", "exists", "contains", "to", "stream",
            "iterator", "size", "equals", "hashCode", "compareTo");

    private MutatorNames() {
    }

    static boolean mayChangeData(MethodDescription method) {
        if (method.isPrivate() || method.isConstructor() || method.isTypeInitializer()) {
            return false;
        }
        String name = method.getInternalName();
        for (String prefix : READER_PREFIXES) {
            if (name.startsWith(prefix)
                    && (name.length() == prefix.length() || Character.isUpperCase(name.charAt(prefix.length())))) {
                return false;
            }
        }
        return true;
    }
}
