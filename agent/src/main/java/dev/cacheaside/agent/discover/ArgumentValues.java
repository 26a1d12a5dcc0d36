package dev.cacheaside.agent.discover;

import dev.cacheaside.agent.codec.CodecException;
import dev.cacheaside.agent.codec.JsonCodec;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The arguments of a call as text: a key that is equal for equal arguments (plain values as they print,
 * objects as their JSON), and per argument the text another method's argument is compared with to tell
 * whether a mutator touched the data a reader's key names ({@code 42} for a plain value, {@code id=42}
 * for an object with an {@code id}).
 */
final class ArgumentValues {

    private static final Object NO_ID = new Object();

    private final JsonCodec codec;
    private final ConcurrentHashMap<Class<?>, Object> idAccessors = new ConcurrentHashMap<>();

    ArgumentValues(JsonCodec codec) {
        this.codec = codec;
    }

    /** A key equal for equal arguments; an argument the codec cannot write makes the call unique. */
    String key(Object[] arguments) {
        if (arguments == null || arguments.length == 0) {
            return "";
        }
        StringBuilder key = new StringBuilder();
        for (Object argument : arguments) {
            if (key.length() > 0) {
                key.append('\u001f');
            }
            if (argument == null || isPlain(argument.getClass())) {
                key.append(argument);
            } else {
                try {
                    key.append(new String(codec.encodeForDigest(argument), StandardCharsets.UTF_8));
                } catch (CodecException | RuntimeException e) {
                    key.append('@').append(System.identityHashCode(argument));
                }
            }
        }
        return key.toString();
    }

    /** Per argument: its text when plain, {@code id=...} when it has an id, else null. */
    String[] comparable(Object[] arguments) {
        if (arguments == null) {
            return new String[0];
        }
        String[] texts = new String[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            Object argument = arguments[i];
            if (argument == null) {
                continue;
            }
            if (isPlain(argument.getClass())) {
                texts[i] = String.valueOf(argument);
            } else {
                Object id = idOf(argument);
                texts[i] = id == null ? null : "id=" + id;
            }
        }
        return texts;
    }

    static boolean isPlain(Class<?> type) {
        return type.isPrimitive() || type == String.class || type == Long.class || type == Integer.class
                || type == Short.class || type == Byte.class || type == Boolean.class || type == Character.class
                || type == Double.class || type == Float.class || type == BigDecimal.class || type == BigInteger.class
                || type == UUID.class || type.isEnum() || type.getName().startsWith("java.time.");
    }

    private Object idOf(Object value) {
        Object accessor = idAccessors.computeIfAbsent(value.getClass(), ArgumentValues::findIdAccessor);
        try {
            if (accessor instanceof Method) {
                return ((Method) accessor).invoke(value);
            }
            if (accessor instanceof Field) {
                return ((Field) accessor).get(value);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static Object findIdAccessor(Class<?> type) {
        for (String name : new String[] {"getId", "id"}) {
            try {
                Method method = type.getMethod(name);
                if (method.getParameterTypes().length == 0 && isPlain(method.getReturnType())) {
                    method.setAccessible(true);
                    return method;
                }
            } catch (NoSuchMethodException | RuntimeException ignored) {
                // looked for under the next name, then as a field
            }
        }
        for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
            try {
                Field field = current.getDeclaredField("id");
                if (isPlain(field.getType())) {
                    field.setAccessible(true);
                    return field;
                }
            } catch (NoSuchFieldException | RuntimeException ignored) {
                // not declared here: the superclass may
            }
        }
        return NO_ID;
    }
}
