package dev.cacheaside.agent.runtime;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Deep copies of values decoded from JSON, for near-cache hits: copying the decoded object graph costs
 * a fraction of decoding its JSON again, and every caller still gets objects of its own. Values that
 * {@link ImmutableTypes} proves immutable are shared instead, at the cost of a lookup. Knows the types JSON
 * decoding produces: arrays, the JDK's list, set and map classes, {@link Date}, and plain classes with a
 * no-argument constructor, copied field by field. Any other type, a class whose fields it may not open, or a
 * graph deeper than it expects makes it answer {@link #NOT_COPYABLE}, and the caller decodes the JSON instead.
 */
final class ValueCopier {

    static final Object NOT_COPYABLE = new Object();

    private static final int MAX_DEPTH = 64;
    private static final Map<Class<?>, Supplier<Collection<Object>>> COLLECTIONS = new HashMap<>();
    private static final Map<Class<?>, Supplier<Map<Object, Object>>> MAPS = new HashMap<>();

    static {
        COLLECTIONS.put(ArrayList.class, ArrayList::new);
        COLLECTIONS.put(LinkedList.class, LinkedList::new);
        COLLECTIONS.put(HashSet.class, HashSet::new);
        COLLECTIONS.put(LinkedHashSet.class, LinkedHashSet::new);
        COLLECTIONS.put(ArrayDeque.class, ArrayDeque::new);
        MAPS.put(HashMap.class, HashMap::new);
        MAPS.put(LinkedHashMap.class, LinkedHashMap::new);
    }

    private final ClassValue<TypeCopier> copiers = new ClassValue<TypeCopier>() {
        @Override
        protected TypeCopier computeValue(Class<?> type) {
            return copierOf(type);
        }
    };

    /** A deep copy of {@code value}, or {@link #NOT_COPYABLE}. */
    Object copy(Object value) {
        try {
            return copy(value, 0);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return NOT_COPYABLE;
        }
    }

    private Object copy(Object value, int depth) throws ReflectiveOperationException {
        if (value == null) {
            return null;
        }
        if (depth > MAX_DEPTH) {
            throw NotCopyable.INSTANCE;
        }
        return copiers.get(value.getClass()).copy(this, value, depth + 1);
    }

    private interface TypeCopier {
        Object copy(ValueCopier copier, Object value, int depth) throws ReflectiveOperationException;
    }

    private static TypeCopier copierOf(Class<?> type) {
        if (ImmutableTypes.isImmutable(type)) {
            return (copier, value, depth) -> value;
        }
        if (type == Date.class) {
            return (copier, value, depth) -> new Date(((Date) value).getTime());
        }
        if (type.isArray()) {
            return type.getComponentType().isPrimitive() ? ValueCopier::clonePrimitiveArray : ValueCopier::copyArray;
        }
        Supplier<Collection<Object>> collection = COLLECTIONS.get(type);
        if (collection != null) {
            return (copier, value, depth) -> {
                Collection<Object> copy = collection.get();
                for (Object element : (Collection<?>) value) {
                    copy.add(copier.copy(element, depth));
                }
                return copy;
            };
        }
        if (type == TreeSet.class) {
            return (copier, value, depth) -> {
                TreeSet<?> source = (TreeSet<?>) value;
                if (source.comparator() != null) {
                    throw NotCopyable.INSTANCE;
                }
                TreeSet<Object> copy = new TreeSet<>();
                for (Object element : source) {
                    copy.add(copier.copy(element, depth));
                }
                return copy;
            };
        }
        Supplier<Map<Object, Object>> map = MAPS.get(type);
        if (map != null || type == TreeMap.class) {
            return (copier, value, depth) -> {
                if (value instanceof TreeMap && ((TreeMap<?, ?>) value).comparator() != null) {
                    throw NotCopyable.INSTANCE;
                }
                Map<Object, Object> copy = map != null ? map.get() : new TreeMap<>();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    copy.put(copier.copy(entry.getKey(), depth), copier.copy(entry.getValue(), depth));
                }
                return copy;
            };
        }
        if (type.getName().startsWith("java.") || type.getName().startsWith("javax.") || type.isInterface()
                || Modifier.isAbstract(type.getModifiers()) || ImmutableTypes.isRecord(type)) {
            // a record that is not immutable is read back through its canonical constructor: left to Jackson
            return ValueCopier::refuse;
        }
        return FieldwiseCopier.of(type);
    }

    private static Object refuse(ValueCopier copier, Object value, int depth) {
        throw NotCopyable.INSTANCE;
    }

    private static Object clonePrimitiveArray(ValueCopier copier, Object value, int depth) {
        int length = Array.getLength(value);
        Object copy = Array.newInstance(value.getClass().getComponentType(), length);
        System.arraycopy(value, 0, copy, 0, length);
        return copy;
    }

    private static Object copyArray(ValueCopier copier, Object value, int depth) throws ReflectiveOperationException {
        Object[] source = (Object[]) value;
        Object[] copy = (Object[]) Array.newInstance(value.getClass().getComponentType(), source.length);
        for (int i = 0; i < source.length; i++) {
            copy[i] = copier.copy(source[i], depth);
        }
        return copy;
    }

    /** A plain class: its no-argument constructor, then every instance field of it and its superclasses. */
    private static final class FieldwiseCopier implements TypeCopier {

        private final Constructor<?> constructor;
        private final Field[] fields;

        private FieldwiseCopier(Constructor<?> constructor, Field[] fields) {
            this.constructor = constructor;
            this.fields = fields;
        }

        static TypeCopier of(Class<?> type) {
            try {
                Constructor<?> constructor = type.getDeclaredConstructor();
                constructor.setAccessible(true);
                List<Field> fields = new ArrayList<>();
                for (Class<?> level = type; level != null && level != Object.class; level = level.getSuperclass()) {
                    if (level.getName().startsWith("java.")) {
                        return ValueCopier::refuse; // a JDK superclass keeps state we may not open
                    }
                    for (Field field : level.getDeclaredFields()) {
                        if (!Modifier.isStatic(field.getModifiers())) {
                            field.setAccessible(true);
                            fields.add(field);
                        }
                    }
                }
                return new FieldwiseCopier(constructor, fields.toArray(new Field[0]));
            } catch (NoSuchMethodException | RuntimeException e) {
                // no no-argument constructor, or a module that does not open the class
                return ValueCopier::refuse;
            }
        }

        @Override
        public Object copy(ValueCopier copier, Object value, int depth) throws ReflectiveOperationException {
            Object copy = constructor.newInstance();
            for (Field field : fields) {
                Class<?> type = field.getType();
                if (!type.isPrimitive()) {
                    field.set(copy, copier.copy(field.get(value), depth));
                } else if (type == int.class) {
                    field.setInt(copy, field.getInt(value));
                } else if (type == long.class) {
                    field.setLong(copy, field.getLong(value));
                } else if (type == boolean.class) {
                    field.setBoolean(copy, field.getBoolean(value));
                } else if (type == double.class) {
                    field.setDouble(copy, field.getDouble(value));
                } else if (type == float.class) {
                    field.setFloat(copy, field.getFloat(value));
                } else if (type == short.class) {
                    field.setShort(copy, field.getShort(value));
                } else if (type == byte.class) {
                    field.setByte(copy, field.getByte(value));
                } else {
                    field.setChar(copy, field.getChar(value));
                }
            }
            return copy;
        }
    }

    /** Thrown through a copy in progress; carries no stack, it is expected. */
    private static final class NotCopyable extends RuntimeException {
        static final NotCopyable INSTANCE = new NotCopyable();

        private NotCopyable() {
            super(null, null, false, false);
        }
    }
}
