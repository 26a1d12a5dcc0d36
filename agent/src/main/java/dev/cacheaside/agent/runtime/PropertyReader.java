package dev.cacheaside.agent.runtime;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a property path such as {@code address.city} from an object: a getter ({@code getCity},
 * {@code isCity}), a record accessor or no-argument method ({@code city()}), or a field, in that order;
 * a {@link Map} is read by key. Accessors are found once per class and name.
 */
final class PropertyReader {

    private interface Accessor {
        Object read(Object target) throws ReflectiveOperationException;
    }

    private static final ClassValue<ConcurrentHashMap<String, Accessor>> ACCESSORS =
            new ClassValue<ConcurrentHashMap<String, Accessor>>() {
                @Override
                protected ConcurrentHashMap<String, Accessor> computeValue(Class<?> type) {
                    return new ConcurrentHashMap<>();
                }
            };

    private PropertyReader() {
    }

    /** The value at the path, or null when a step on the way is null. */
    static Object read(Object root, List<String> path) {
        Object current = root;
        for (String name : path) {
            if (current == null) {
                return null;
            }
            if (current instanceof Map) {
                current = ((Map<?, ?>) current).get(name);
                continue;
            }
            Class<?> type = current.getClass();
            Accessor accessor = ACCESSORS.get(type).computeIfAbsent(name, ignored -> find(type, name));
            try {
                current = accessor.read(current);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot read property '" + name + "' of " + type.getName() + ": "
                        + e, e);
            }
        }
        return current;
    }

    private static Accessor find(Class<?> type, String name) {
        String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (String candidate : new String[] {"get" + capitalized, "is" + capitalized, name}) {
            Method method = findMethod(type, candidate);
            if (method != null && method.getReturnType() != void.class) {
                return method::invoke;
            }
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                if (!Modifier.isStatic(field.getModifiers()) && makeAccessible(field)) {
                    return field::get;
                }
            } catch (NoSuchFieldException ignored) {
                // look in the superclass
            }
        }
        throw new IllegalStateException("no getter, accessor or field '" + name + "' on " + type.getName());
    }

    private static Method findMethod(Class<?> type, String name) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Method method = c.getDeclaredMethod(name);
                if (!Modifier.isStatic(method.getModifiers()) && makeAccessible(method)) {
                    return method;
                }
            } catch (NoSuchMethodException ignored) {
                // look in the superclass
            }
        }
        try {
            Method method = type.getMethod(name);
            return Modifier.isStatic(method.getModifiers()) ? null : method;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static boolean makeAccessible(AccessibleObject member) {
        try {
            member.setAccessible(true);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
