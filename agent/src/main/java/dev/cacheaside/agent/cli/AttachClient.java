package dev.cacheaside.agent.cli;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * The one class that touches the JDK's attach API ({@code com.sun.tools.attach.VirtualMachine}). It is
 * reached reflectively: from Java 9 on it is the jdk.attach module, on Java 8 it is the JDK's
 * {@code lib/tools.jar}, which no class path names. A Java runtime without either fails here with one
 * clear message.
 */
final class AttachClient {

    static final String NO_ATTACH_API = "this Java runtime has no attach API (the jdk.attach module, or lib/tools.jar"
            + " on Java 8): run the command with a JDK's java, e.g. $JAVA_HOME/bin/java -jar cache-aside-agent.jar ...";

    // methods are looked up on the public API type: the implementation class is not exported
    private final Class<?> api;
    private final Object vm;
    private final long pid;

    private AttachClient(Class<?> api, Object vm, long pid) {
        this.api = api;
        this.vm = vm;
        this.pid = pid;
    }

    /** Loads the agent jar into the JVM with the given PID, passing it the argument string. */
    static void load(long pid, String agentJar, String arguments) throws CommandException {
        AttachClient client = attach(pid);
        try {
            client.loadAgent(agentJar, arguments);
        } finally {
            client.detach();
        }
    }

    static AttachClient attach(long pid) throws CommandException {
        Class<?> virtualMachine = virtualMachineType();
        try {
            return new AttachClient(virtualMachine,
                    virtualMachine.getMethod("attach", String.class).invoke(null, String.valueOf(pid)), pid);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (isA(cause, "com.sun.tools.attach.AttachNotSupportedException")) {
                throw new CommandException("cannot attach to PID " + pid + ": " + cause.getMessage() + ". The JVM may run"
                        + " with -XX:+DisableAttachMechanism, as another user, or be no Java process at all");
            }
            throw new CommandException("cannot attach to PID " + pid + ": " + describe(cause));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new CommandException(NO_ATTACH_API);
        }
    }

    void loadAgent(String agentJar, String arguments) throws CommandException {
        try {
            api.getMethod("loadAgent", String.class, String.class).invoke(vm, agentJar, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (isA(cause, "com.sun.tools.attach.AgentLoadException")) {
                throw new CommandException("PID " + pid + " refused to load the agent: " + cause.getMessage()
                        + dynamicLoadingHint(cause.getMessage()));
            }
            if (isA(cause, "com.sun.tools.attach.AgentInitializationException")) {
                throw new CommandException("the agent failed to start in PID " + pid + " (code " + returnValue(cause)
                        + "): " + cause.getMessage() + "; see that JVM's stderr");
            }
            throw new CommandException("lost the connection to PID " + pid + " while loading the agent: "
                    + describe(cause) + dynamicLoadingHint(cause.getMessage()));
        } catch (ReflectiveOperationException e) {
            throw new CommandException(NO_ATTACH_API);
        }
    }

    /** The address of the target's local JMX connector, started if it was not running (no agent is loaded). */
    String startLocalManagementAgent() throws CommandException {
        try {
            return (String) api.getMethod("startLocalManagementAgent").invoke(vm);
        } catch (InvocationTargetException e) {
            throw new CommandException("PID " + pid + " did not open its local JMX connector: " + describe(e.getCause()));
        } catch (ReflectiveOperationException e) {
            throw new CommandException(NO_ATTACH_API);
        }
    }

    void detach() {
        try {
            api.getMethod("detach").invoke(vm);
        } catch (ReflectiveOperationException ignored) {
            // the agent is loaded or not; detaching has nothing left to do
        }
    }

    // one loader for tools.jar per JVM: its native library can be loaded by one class loader only
    private static Class<?> virtualMachineType;

    private static synchronized Class<?> virtualMachineType() throws CommandException {
        if (virtualMachineType == null) {
            virtualMachineType = findVirtualMachineType();
        }
        return virtualMachineType;
    }

    private static Class<?> findVirtualMachineType() throws CommandException {
        String name = "com.sun.tools.attach.VirtualMachine";
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException | LinkageError e) {
            // Java 8: the attach API is in the JDK's lib/tools.jar, beside the JRE that runs this command
        }
        File home = new File(System.getProperty("java.home"));
        File[] candidates = {new File(home, "../lib/tools.jar"), new File(home, "lib/tools.jar")};
        for (File toolsJar : candidates) {
            if (toolsJar.isFile()) {
                try {
                    URL url = toolsJar.getCanonicalFile().toURI().toURL();
                    return Class.forName(name, true, new URLClassLoader(new URL[] {url}, AttachClient.class.getClassLoader()));
                } catch (IOException | ClassNotFoundException | LinkageError e) {
                    throw new CommandException(NO_ATTACH_API + " (" + toolsJar + ": " + e + ")");
                }
            }
        }
        throw new CommandException(NO_ATTACH_API);
    }

    private static boolean isA(Throwable error, String typeName) {
        for (Class<?> type = error == null ? null : error.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(typeName)) {
                return true;
            }
        }
        return false;
    }

    private static Object returnValue(Throwable error) {
        try {
            return error.getClass().getMethod("returnValue").invoke(error);
        } catch (ReflectiveOperationException e) {
            return "unknown";
        }
    }

    private static String describe(Throwable error) {
        return error == null ? "unknown error" : error.getMessage() != null ? error.getMessage() : error.toString();
    }

    private static String dynamicLoadingHint(String message) {
        return message != null && message.toLowerCase().contains("dynamic")
                ? ". The JVM forbids loading agents while it runs: start it with -XX:+EnableDynamicAgentLoading"
                : "";
    }
}
