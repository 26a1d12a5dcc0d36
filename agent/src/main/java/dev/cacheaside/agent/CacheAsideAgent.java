package dev.cacheaside.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry points of the agent jar: {@code premain} for {@code -javaagent}, {@code agentmain} for attach,
 * {@code main} for the command line. Does as little as possible: the bridge must reach the bootstrap
 * loader before any class that names it is loaded, so everything else is reached reflectively, and no
 * failure may stop the application from starting.
 *
 * <p>This class is compiled for Java 7 where the build's JDK can (and for Java 8 elsewhere) and names
 * nothing newer, so that a JVM too old for the rest of the agent loads it and hears why it runs uncached.
 */
public final class CacheAsideAgent {

    private static final String BRIDGE_PACKAGE = "dev.cacheaside.bridge";

    private CacheAsideAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        try {
            // read by JBoss Modules and OSGi frameworks when they start, which is after premain
            appendToProperty("jboss.modules.system.pkgs", BRIDGE_PACKAGE);
            appendToProperty("org.osgi.framework.bootdelegation", BRIDGE_PACKAGE + ".*");
        } catch (RuntimeException e) {
            System.err.println("[cache-aside] WARN cannot set the module system properties: " + e);
        }
        start(arguments, instrumentation, false);
    }

    /**
     * Module systems that delegate only listed packages to the bootstrap loader must delegate the bridge's
     * package, or the advice in their classes cannot reach it.
     */
    private static void appendToProperty(String name, String value) {
        String current = System.getProperty(name);
        if (current == null || current.trim().isEmpty()) {
            System.setProperty(name, value);
        } else if (!(("," + current.replace(" ", "") + ",").contains("," + value + ","))) {
            System.setProperty(name, current + "," + value);
        }
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, true);
    }

    public static void main(String[] arguments) {
        int status;
        try {
            Class<?> cli = Class.forName("dev.cacheaside.agent.cli.Cli");
            status = (Integer) cli.getMethod("run", String[].class).invoke(null, (Object) arguments);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            System.err.println("cache-aside-agent: " + cause);
            status = 2;
        }
        System.exit(status);
    }

    private static void start(String arguments, Instrumentation instrumentation, boolean attached) {
        long entered = System.nanoTime();
        try {
            String version = System.getProperty("java.specification.version", "");
            if (version.startsWith("1.") && !version.equals("1.8")) {
                System.err.println("[cache-aside] ERROR Java " + version + " is too old for the agent (it needs Java 8"
                        + " or later); the application runs without caching");
                return;
            }
            BridgeInjector.inject(instrumentation);
            Class.forName("dev.cacheaside.agent.AgentRuntime")
                    .getMethod("start", String.class, Instrumentation.class, boolean.class, long.class)
                    .invoke(null, arguments, instrumentation, attached, entered);
        } catch (Throwable e) {
            Throwable cause = e.getCause() != null && e instanceof ReflectiveOperationException ? e.getCause() : e;
            String why = cause instanceof NoClassDefFoundError
                    ? "this Java runtime lacks a class it needs (" + cause.getMessage() + "; a trimmed runtime may miss"
                    + " the module java.management, java.logging or java.sql)"
                    : String.valueOf(cause);
            System.err.println("[cache-aside] ERROR the agent could not start, the application runs without caching: "
                    + why);
        }
    }
}
