package dev.cacheaside.agent.runtime;

import com.fasterxml.jackson.databind.JavaType;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether a value read back from its JSON has the classes of the value written. A declared type that
 * does not name the class (a type variable the agent cannot resolve, {@code Object}) reads a bean back
 * as a map, and a {@code Long} as an {@code Integer}: JSON that compares equal, and a
 * ClassCastException for the caller of a hit.
 */
final class ReadBackTypes {

    private ReadBackTypes() {
    }

    /**
     * Null when the read-back value is of the written value's class or a superclass of it (an entity
     * written from its proxy subclass reads back as the entity); else "{@code X instead of Y}". Containers
     * are compared by their first element, since their own class may differ by design
     * ({@code List.of(..)} reads back as an {@code ArrayList}).
     */
    static String drift(Object written, Object readBack, JavaType type) {
        if (written == null || readBack == null) {
            return null;
        }
        if (type.isContainerType()) {
            Object first = first(written);
            Object firstBack = first(readBack);
            return first == null || type.getContentType() == null ? null
                    : drift(first, firstBack, type.getContentType());
        }
        if (readBack.getClass().isAssignableFrom(written.getClass())) {
            return null;
        }
        return readBack.getClass().getName() + " instead of " + written.getClass().getName();
    }

    /** The first element of a collection or array, the first value of a map; null when empty or neither. */
    private static Object first(Object container) {
        if (container instanceof Collection) {
            Iterator<?> elements = ((Collection<?>) container).iterator();
            return elements.hasNext() ? elements.next() : null;
        }
        if (container instanceof Map) {
            Iterator<?> values = ((Map<?, ?>) container).values().iterator();
            return values.hasNext() ? values.next() : null;
        }
        if (container.getClass().isArray() && Array.getLength(container) > 0) {
            return Array.get(container, 0);
        }
        return null;
    }
}
