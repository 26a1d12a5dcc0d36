package dev.cacheaside.agent;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Map;

/**
 * Defines classes in the bootstrap loader through the JDK's {@code Unsafe.defineClass}. On Java 9 and
 * later this class is loaded into a class loader of its own, whose unnamed module alone is given
 * access to {@code jdk.internal.misc}: the application's classes, which share the class path's unnamed
 * module with the rest of the agent, gain no access to the JDK's internals. It names only
 * {@code java.*} types, so that loader needs no parent but the bootstrap loader.
 */
public final class BootDefiner {

    private BootDefiner() {
    }

    /** Defines each named class file in the bootstrap loader, in order. */
    public static void define(Map<String, byte[]> classes) throws ReflectiveOperationException {
        Class<?> unsafeType;
        Object unsafe;
        try {
            unsafeType = Class.forName("jdk.internal.misc.Unsafe");
            unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        } catch (ClassNotFoundException java8) {
            unsafeType = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeType.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            unsafe = theUnsafe.get(null);
        }
        Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        for (Map.Entry<String, byte[]> type : classes.entrySet()) {
            define.invoke(unsafe, type.getKey(), type.getValue(), 0, type.getValue().length, null, null);
        }
    }
}
