package dev.cacheaside.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;

/**
 * The one class that touches the JDK's attach API, so that a Java runtime without the jdk.attach
 * module fails here with a clear message instead of at start-up of the command line.
 */
final class AttachClient {

    private AttachClient() {
    }

    /** Loads the agent jar into the JVM with the given PID, passing it the argument string. */
    static void load(long pid, String agentJar, String arguments) throws CommandException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(String.valueOf(pid));
        } catch (AttachNotSupportedException e) {
            throw new CommandException("cannot attach to PID " + pid + ": " + e.getMessage() + ". The JVM may run with"
                    + " -XX:+DisableAttachMechanism, as another user, or be no Java process at all");
        } catch (IOException e) {
            throw new CommandException("cannot attach to PID " + pid + ": " + e.getMessage());
        }
        try {
            vm.loadAgent(agentJar, arguments);
        } catch (AgentLoadException e) {
            throw new CommandException("PID " + pid + " refused to load the agent: " + e.getMessage()
                    + dynamicLoadingHint(e.getMessage()));
        } catch (AgentInitializationException e) {
            throw new CommandException("the agent failed to start in PID " + pid + " (code " + e.returnValue() + "): "
                    + e.getMessage() + "; see that JVM's stderr");
        } catch (IOException e) {
            throw new CommandException("lost the connection to PID " + pid + " while loading the agent: "
                    + e.getMessage() + dynamicLoadingHint(e.getMessage()));
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the agent is loaded or not; detaching has nothing left to do
            }
        }
    }

    private static String dynamicLoadingHint(String message) {
        return message != null && message.toLowerCase().contains("dynamic")
                ? ". The JVM forbids loading agents while it runs: start it with -XX:+EnableDynamicAgentLoading"
                : "";
    }
}
