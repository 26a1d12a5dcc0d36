package dev.cacheaside.agent;

import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassInjector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Puts the bridge classes on the bootstrap class path, where every class loader finds them. Reads them
 * as resources, by name, so that this class never loads them into the system loader first.
 */
final class BridgeInjector {

    private static final String PACKAGE = "dev.cacheaside.bridge.";
    private static final String[] CLASSES = {"Dispatcher", "Hit", "CacheAsideBridge"};

    private BridgeInjector() {
    }

    static void inject(Instrumentation instrumentation) throws IOException {
        if (isInjected()) {
            return;
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (String simpleName : CLASSES) {
            String name = PACKAGE + simpleName;
            classes.put(name, read(name.replace('.', '/') + ".class"));
        }
        if (!defineInBootLoader(instrumentation, classes)) {
            appendToBootClassPath(instrumentation, classes);
        }
    }

    /**
     * Defines the classes straight in the bootstrap loader. A jar appended to the boot class path
     * would turn class data sharing off for every loader but the boot loader, slowing the start of the
     * whole application and disabling its own CDS archive. Java 8 has {@code sun.misc.Unsafe.defineClass};
     * later JDKs have only the internal one, which needs jdk.internal.misc exported to the agent's
     * loader. Where the JDK refuses, the jar is appended instead. The module API is reached
     * reflectively, as the agent's byte code is Java 8's.
     */
    private static boolean defineInBootLoader(Instrumentation instrumentation, Map<String, byte[]> classes) {
        try {
            Object unsafe;
            Class<?> unsafeType;
            if (JavaVersion.feature() < 9) {
                unsafeType = Class.forName("sun.misc.Unsafe");
                Field theUnsafe = unsafeType.getDeclaredField("theUnsafe");
                theUnsafe.setAccessible(true);
                unsafe = theUnsafe.get(null);
            } else {
                unsafeType = Class.forName("jdk.internal.misc.Unsafe");
                exportToAgent(instrumentation, unsafeType, "jdk.internal.misc");
                unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
            }
            Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                    ClassLoader.class, ProtectionDomain.class);
            for (Map.Entry<String, byte[]> type : classes.entrySet()) {
                define.invoke(unsafe, type.getKey(), type.getValue(), 0, type.getValue().length, null, null);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** {@code instrumentation.redefineModule(...)} giving this class's module access to one package. */
    private static void exportToAgent(Instrumentation instrumentation, Class<?> owner, String packageName)
            throws ReflectiveOperationException {
        Method getModule = Class.class.getMethod("getModule");
        Class<?> moduleType = Class.forName("java.lang.Module");
        Method redefineModule = Instrumentation.class.getMethod("redefineModule", moduleType, Set.class, Map.class,
                Map.class, Set.class, Map.class);
        redefineModule.invoke(instrumentation, getModule.invoke(owner), Collections.emptySet(),
                Collections.singletonMap(packageName, Collections.singleton(getModule.invoke(BridgeInjector.class))),
                Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
    }

    private static void appendToBootClassPath(Instrumentation instrumentation, Map<String, byte[]> classes)
            throws IOException {
        ClassInjector.UsingInstrumentation
                .of(Files.createTempDirectory("cache-aside-bridge").toFile(),
                        ClassInjector.UsingInstrumentation.Target.BOOTSTRAP, instrumentation)
                .injectRaw(classes.keySet(), new ClassFileLocator.Simple(classes));
    }

    private static boolean isInjected() {
        try {
            Class.forName(PACKAGE + "CacheAsideBridge", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = BridgeInjector.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("agent jar lacks " + resource);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            for (int read; (read = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        }
    }
}
