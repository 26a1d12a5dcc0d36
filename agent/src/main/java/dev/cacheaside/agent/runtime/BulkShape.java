package dev.cacheaside.agent.runtime;

import com.fasterxml.jackson.databind.JavaType;
import dev.cacheaside.agent.codec.JsonCodec;
import dev.cacheaside.agent.config.BulkSettings;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a bulk method takes its ids and returns its results: which argument holds the ids and what
 * collection to pass in its place, whether the result is a list, a set or a map by id, and the type
 * of one element, as its single-id entries hold it.
 */
final class BulkShape {

    enum Result { LIST, SET, MAP }

    final int argument;
    final boolean setArgument;
    final Result result;
    final JavaType elementType;
    final KeyRenderer elementKey;
    /** The key a returned element belongs to; null for a map result, whose keys are the ids. */
    final KeyRenderer resultKey;

    private BulkShape(int argument, boolean setArgument, Result result, JavaType elementType, KeyRenderer elementKey,
                      KeyRenderer resultKey) {
        this.argument = argument;
        this.setArgument = setArgument;
        this.result = result;
        this.elementType = elementType;
        this.elementKey = elementKey;
        this.resultKey = resultKey;
    }

    /**
     * The shape of a bulk method, or throws {@link IllegalArgumentException} naming what does not fit:
     * the ids must come as a {@code Collection}, {@code List}, {@code Set} or {@code Iterable}, the result must
     * be one of those or a {@code Map} (a {@code List} or {@code Set} needs a result-key).
     */
    static BulkShape of(BulkSettings bulk, String prefix, Method method, Class<?> declaringType, JsonCodec codec) {
        Class<?>[] parameters = method.getParameterTypes();
        if (bulk.argument() >= parameters.length) {
            throw new IllegalArgumentException("the key names argument " + bulk.argument() + " but the method has "
                    + parameters.length + " parameter(s)");
        }
        Class<?> ids = parameters[bulk.argument()];
        boolean setArgument = ids.isAssignableFrom(LinkedHashSet.class);
        if (!setArgument && !ids.isAssignableFrom(ArrayList.class)) {
            throw new IllegalArgumentException("argument " + bulk.argument() + " is a " + ids.getName()
                    + "; a bulk rule's ids come as a Collection, List, Set or Iterable");
        }
        Class<?> returned = method.getReturnType();
        JavaType declared = codec.typeOf(method.getGenericReturnType(), declaringType, method.getDeclaringClass());
        Result result;
        if (returned.isAssignableFrom(LinkedHashMap.class)) {
            result = Result.MAP;
        } else if (returned.isAssignableFrom(ArrayList.class)) {
            result = Result.LIST;
        } else if (returned.isAssignableFrom(LinkedHashSet.class)) {
            result = Result.SET;
        } else {
            throw new IllegalArgumentException("it returns " + returned.getName() + "; a bulk rule's method returns"
                    + " a List, Set, Collection, Iterable or Map");
        }
        if (result != Result.MAP && bulk.resultKey() == null) {
            throw new IllegalArgumentException("it returns a " + returned.getSimpleName() + ", so the rule needs a"
                    + " result-key naming the entry each element belongs to, such as \"user:{result[*].id}\"");
        }
        JavaType elementType = declared.getContentType();
        if (elementType == null || elementType.getRawClass() == Object.class) {
            throw new IllegalArgumentException("its return type " + declared.toCanonical() + " does not name the"
                    + " element type");
        }
        return new BulkShape(bulk.argument(), setArgument, result, elementType,
                new KeyRenderer(prefix, bulk.elementKey(), codec),
                bulk.resultKey() == null ? null : new KeyRenderer(prefix, bulk.resultKey(), codec));
    }

    /** The ids to pass to the method in place of the original argument. */
    Collection<Object> argumentOf(List<Object> ids) {
        return setArgument ? new LinkedHashSet<Object>(ids) : new ArrayList<Object>(ids);
    }

    /** The caller's result: one element per id that has one, in the order of the ids. */
    Object assemble(List<Object> ids, Map<Object, Object> valueById, List<Object> unmatched) {
        if (result == Result.MAP) {
            Map<Object, Object> map = new LinkedHashMap<Object, Object>();
            for (Object id : ids) {
                if (valueById.containsKey(id)) {
                    map.put(id, valueById.get(id));
                }
            }
            return map;
        }
        Collection<Object> elements = result == Result.SET ? new LinkedHashSet<Object>() : new ArrayList<Object>();
        for (Object id : ids) {
            if (valueById.containsKey(id)) {
                elements.add(valueById.get(id));
            }
        }
        elements.addAll(unmatched);
        return result == Result.SET ? (Set<Object>) elements : elements;
    }
}
