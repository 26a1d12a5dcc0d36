package dev.cacheaside.agent.instrument;

import dev.cacheaside.agent.log.AgentLog;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Whether a class loader sees the bridge in the bootstrap loader. Advice woven into a class names the
 * bridge, so a class whose loader does not delegate {@code dev.cacheaside.bridge} to the boot loader
 * (JBoss Modules, OSGi, other isolating loaders) would fail with {@code NoClassDefFoundError} in the
 * application; such classes are left as they are, with one line per loader that says what to add.
 */
final class BridgeVisibility {

    static final String BRIDGE_PACKAGE = "dev.cacheaside.bridge";
    private static final String BRIDGE_CLASS = BRIDGE_PACKAGE + ".CacheAsideBridge";

    private static final Map<ClassLoader, Boolean> VISIBLE = new WeakHashMap<>();

    private BridgeVisibility() {
    }

    static boolean visibleFrom(ClassLoader loader, String typeName) {
        if (loader == null) {
            return true;
        }
        synchronized (VISIBLE) {
            Boolean known = VISIBLE.get(loader);
            if (known != null) {
                return known;
            }
        }
        boolean visible;
        try {
            visible = Class.forName(BRIDGE_CLASS, false, loader).getClassLoader() == null;
        } catch (ClassNotFoundException | LinkageError e) {
            visible = false;
        }
        synchronized (VISIBLE) {
            if (VISIBLE.put(loader, visible) == null && !visible) {
                AgentLog.warn("classes of " + loader.getClass().getName() + " (such as " + typeName + ") cannot see"
                        + " the agent's bridge classes, so its rules are not applied there and those methods run"
                        + " uncached. " + hint(loader));
            }
        }
        return visible;
    }

    private static String hint(ClassLoader loader) {
        String type = loader.getClass().getName();
        if (type.startsWith("org.jboss.modules.")) {
            return "Start the JVM with -javaagent (the agent then adds its package to jboss.modules.system.pkgs), or"
                    + " add -Djboss.modules.system.pkgs=" + BRIDGE_PACKAGE + " (comma-separated with any packages"
                    + " already listed there)";
        }
        if (type.startsWith("org.apache.felix.") || type.startsWith("org.eclipse.osgi.")
                || type.contains(".osgi.")) {
            return "Start the JVM with -javaagent (the agent then adds its package to org.osgi.framework.bootdelegation),"
                    + " or add " + BRIDGE_PACKAGE + ".* to the framework property org.osgi.framework.bootdelegation";
        }
        return "Make that class loader delegate the package " + BRIDGE_PACKAGE + " to the bootstrap class loader";
    }
}
