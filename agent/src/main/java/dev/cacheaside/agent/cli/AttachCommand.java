package dev.cacheaside.agent.cli;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code attach PID [agent.conf]}, {@code attach PID --disable}, {@code attach PID --status}: loads,
 * re-configures, turns off or queries the agent in a running JVM of the same user.
 */
final class AttachCommand {

    private AttachCommand() {
    }

    /** How long a freshly loaded agent may take to register its MBean, which it does off the attach thread. */
    private static final long STATUS_WAIT_MILLIS = 10_000;

    static int run(String[] arguments, PrintStream out) throws CommandException {
        if (arguments.length < 2) {
            throw new CommandException("usage: attach PID [agent.conf | --disable | --status]");
        }
        long pid = parsePid(arguments[1]);
        String option = arguments.length > 2 ? arguments[2] : null;
        checkProcess(pid);
        String agentJar = agentJar();
        if ("--status".equals(option)) {
            out.print(overJmx(pid, false));
            return 0;
        }
        if ("--disable".equals(option)) {
            load(pid, agentJar, AgentArguments.disable());
            out.println("caching is off in PID " + pid + "; every instrumented method has its original code back");
            return 0;
        }
        String config = null;
        if (option != null) {
            Path path = Paths.get(option).toAbsolutePath().normalize();
            if (!Files.isReadable(path)) {
                throw new CommandException(path + ": config file not found or not readable");
            }
            config = path.toString();
        }
        load(pid, agentJar, AgentArguments.config(config));
        out.println("agent loaded into PID " + pid + (config == null ? "" : " with " + config)
                + "; its log lines ([cache-aside] ...) go to that JVM's stderr");
        out.print(status(pid));
        return 0;
    }

    /** {@code stats PID}: the counters and latency percentiles of every rule in a running JVM. */
    static int stats(String[] arguments, PrintStream out) throws CommandException {
        if (arguments.length != 2) {
            throw new CommandException("usage: stats PID");
        }
        long pid = parsePid(arguments[1]);
        checkProcess(pid);
        out.print(overJmx(pid, true));
        return 0;
    }

    /** The agent's own report, read over JMX once it is loaded; no file is shared with the target JVM. */
    static String status(long pid) throws CommandException {
        try {
            return JmxReader.agentStatus(pid, STATUS_WAIT_MILLIS);
        } catch (NoClassDefFoundError e) {
            throw new CommandException(AttachClient.NO_ATTACH_API);
        }
    }

    /** Reads the report through the JVM's local JMX connector, loading no agent: see {@link JmxReader}. */
    private static String overJmx(long pid, boolean latencies) throws CommandException {
        try {
            return latencies ? JmxReader.stats(pid) : JmxReader.status(pid);
        } catch (NoClassDefFoundError e) {
            // a runtime without java.management: no JMX client, hence no way to read the counters
            throw new CommandException(AttachClient.NO_ATTACH_API);
        }
    }

    private static void load(long pid, String agentJar, String arguments) throws CommandException {
        AttachClient.load(pid, agentJar, arguments);
    }

    static long parsePid(String text) throws CommandException {
        try {
            long pid = Long.parseLong(text);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new CommandException("'" + text + "' is not a process id");
    }

    static void checkProcess(long pid) throws CommandException {
        if (!Processes.isAlive(pid)) {
            throw new CommandException("no process with PID " + pid);
        }
        if (pid == Processes.currentPid()) {
            throw new CommandException("PID " + pid + " is this command itself");
        }
        String owner = Processes.owner(pid);
        String me = System.getProperty("user.name");
        if (owner != null && me != null && !owner.equals(me)) {
            throw new CommandException("PID " + pid + " belongs to user '" + owner + "', this command runs as '"
                    + me + "'; the attach API only reaches JVMs of the same user: run it as '" + owner + "'");
        }
    }

    /** The jar this command runs from: the same jar gets loaded into the target. */
    static String agentJar() throws CommandException {
        try {
            Path jar = Paths.get(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                throw new CommandException("run the command from the agent jar: java -jar cache-aside-agent.jar ...");
            }
            return jar.toAbsolutePath().toString();
        } catch (URISyntaxException | SecurityException e) {
            throw new CommandException("cannot locate the agent jar: " + e.getMessage());
        }
    }
}
