package dev.cacheaside.agent;

import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassInjector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

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
     * whole application and disabling its own CDS archive. The one call needs jdk.internal.misc
     * exported to the agent's loader; where the JDK refuses, the jar is appended instead.
     */
    private static boolean defineInBootLoader(Instrumentation instrumentation, Map<String, byte[]> classes) {
        try {
            Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
            instrumentation.redefineModule(unsafeType.getModule(), Collections.emptySet(),
                    Collections.singletonMap("jdk.internal.misc", Collections.singleton(BridgeInjector.class.getModule())),
                    Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
            Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
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
