package dev.cacheaside.agent;

import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassInjector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
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
    private static final String[] CLASSES = {"Dispatcher", "Hit", "Rewrite", "CacheAsideBridge", "Probe",
            "DiscoveryBridge"};

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
     * later JDKs have only the internal one, whose package is exported to a loader that holds nothing
     * but {@link BootDefiner} (see there). Where the JDK refuses, the jar is appended instead. The module
     * API is reached reflectively, as the agent's byte code is Java 8's.
     */
    private static boolean defineInBootLoader(Instrumentation instrumentation, Map<String, byte[]> classes) {
        try {
            Class<?> definer;
            if (JavaVersion.feature() < 9) {
                definer = BootDefiner.class;
            } else {
                String name = BootDefiner.class.getName();
                definer = new DefinerLoader(name, read(name.replace('.', '/') + ".class")).loadClass(name);
                exportToLoader(instrumentation, Class.forName("jdk.internal.misc.Unsafe"), "jdk.internal.misc",
                        definer.getClassLoader());
            }
            definer.getMethod("define", Map.class).invoke(null, classes);
            return true;
        } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** {@code instrumentation.redefineModule(...)} exporting one package to the unnamed module of one loader. */
    private static void exportToLoader(Instrumentation instrumentation, Class<?> owner, String packageName,
                                       ClassLoader loader) throws ReflectiveOperationException {
        Class<?> moduleType = Class.forName("java.lang.Module");
        Method redefineModule = Instrumentation.class.getMethod("redefineModule", moduleType, Set.class, Map.class,
                Map.class, Set.class, Map.class);
        Object target = ClassLoader.class.getMethod("getUnnamedModule").invoke(loader);
        redefineModule.invoke(instrumentation, Class.class.getMethod("getModule").invoke(owner), Collections.emptySet(),
                Collections.singletonMap(packageName, Collections.singleton(target)),
                Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
    }

    /** Holds {@link BootDefiner} alone; its parent is the bootstrap loader. */
    private static final class DefinerLoader extends ClassLoader {
        private final String name;
        private final byte[] classFile;

        DefinerLoader(String name, byte[] classFile) {
            super(null);
            this.name = name;
            this.classFile = classFile;
        }

        @Override
        protected Class<?> findClass(String requested) throws ClassNotFoundException {
            if (!requested.equals(name)) {
                throw new ClassNotFoundException(requested);
            }
            return defineClass(name, classFile, 0, classFile.length);
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
