package dev.cacheaside.agent.runtime;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Which classes have instances that are provably deeply immutable, so that a near-cache hit may hand every
 * caller the same instance. Answers for the exact runtime class: a subclass of {@link BigDecimal} is not
 * {@code BigDecimal}. Beyond the JDK's value types, a class qualifies when it is final (records are) and every
 * instance field, its superclasses' included, is final and either primitive or of a type that qualifies; its
 * superclasses may not be JDK classes other than {@code Object} and {@code Record}. Arrays, collections (an
 * unmodifiable one may wrap a list someone else changes), interfaces and non-final field types never qualify.
 * When in doubt the answer is no, and the value is copied as before.
 */
final class ImmutableTypes {

    private static final Set<Class<?>> JDK_VALUES = new HashSet<>(Arrays.asList(String.class, Integer.class,
            Long.class, Short.class, Byte.class, Character.class, Boolean.class, Double.class, Float.class,
            BigDecimal.class, BigInteger.class, UUID.class));
    private static final Method IS_RECORD = isRecordMethod();

    // the answer is a Boolean, which holds no class, so the cache keeps no class loader alive
    private static final ClassValue<Boolean> IMMUTABLE = new ClassValue<Boolean>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isImmutable(type, new HashSet<Class<?>>());
        }
    };

    private ImmutableTypes() {
    }

    /** Whether every instance whose runtime class is exactly {@code type} is deeply immutable. */
    static boolean isImmutable(Class<?> type) {
        return IMMUTABLE.get(type);
    }

    /** JDK types whose instances are shared as they are; their subclasses, if any, are not. */
    private static boolean isJdkValue(Class<?> type) {
        return JDK_VALUES.contains(type) || isEnum(type) || isJavaTime(type);
    }

    /**
     * A class seen again while its fields are being checked counts as immutable: only the other fields can
     * make it mutable, and they are checked on the way.
     */
    private static boolean isImmutable(Class<?> type, Set<Class<?>> visiting) {
        if (isJdkValue(type)) {
            return true;
        }
        if (type.isArray() || type.isPrimitive() || type.isInterface() || !Modifier.isFinal(type.getModifiers())
                || isJdkClass(type)) {
            return false;
        }
        if (!visiting.add(type)) {
            return true;
        }
        try {
            for (Class<?> level = type; level != Object.class; level = level.getSuperclass()) {
                if (level != type && isJdkClass(level) && !isRecord(type)) {
                    return false;
                }
                for (Field field : level.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (Modifier.isStatic(modifiers)) {
                        continue;
                    }
                    if (!Modifier.isFinal(modifiers)) {
                        return false;
                    }
                    Class<?> fieldType = field.getType();
                    // a final field type means the runtime class is the declared one, checked here
                    if (!fieldType.isPrimitive() && !isFinalOrEnum(fieldType)) {
                        return false;
                    }
                    if (!fieldType.isPrimitive() && !isImmutable(fieldType, visiting)) {
                        return false;
                    }
                }
            }
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false; // a field type that cannot be loaded, or a security manager that says no
        }
    }

    private static boolean isFinalOrEnum(Class<?> type) {
        return Modifier.isFinal(type.getModifiers()) || type.isEnum();
    }

    private static boolean isEnum(Class<?> type) {
        return type.isEnum() || (type.getSuperclass() != null && type.getSuperclass().isEnum());
    }

    private static boolean isJavaTime(Class<?> type) {
        // every public type of java.time is immutable; its mutable helpers live in java.time.format and .temporal
        return type.getName().startsWith("java.time.") && type.getName().indexOf('.', "java.time.".length()) < 0;
    }

    private static boolean isJdkClass(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.") || name.startsWith("com.sun.");
    }

    /** Records arrived in Java 16; the agent runs on 8, so it asks through reflection. */
    static boolean isRecord(Class<?> type) {
        if (IS_RECORD == null) {
            return false;
        }
        try {
            return (Boolean) IS_RECORD.invoke(type);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static Method isRecordMethod() {
        try {
            return Class.class.getMethod("isRecord");
        } catch (NoSuchMethodException | RuntimeException e) {
            return null;
        }
    }
}
