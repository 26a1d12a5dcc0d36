package dev.cacheaside.agent.cli;

import dev.cacheaside.agent.discover.DiscoveryOptions;

import javax.management.AttributeNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code discover PID [--packages com.acme] [--for 10m] [--out suggested.conf]} and {@code discover PID
 * --status}: loads the agent into a running JVM in discovery mode, prints its progress every few
 * seconds, and when the time is up (or on Ctrl-C) ends it, which gives every method its original code
 * back, and writes the proposed rules. The file comes back over the target's local JMX connector (the
 * {@code cache-aside:type=Discovery} MBean), not through a file the two processes would have to share.
 */
final class DiscoverCommand {

    private static final String USAGE = "usage: discover PID [--packages com.acme[,com.other]] [--for 10m]"
            + " [--out suggested.conf] | discover PID --status";
    private static final String MBEAN = "cache-aside:type=Discovery";
    private static final long PROGRESS_MILLIS = 3000;
    // the agent ends the discovery itself when its time is up; the command waits this much longer for it
    private static final long GRACE_MILLIS = TimeUnit.SECONDS.toMillis(30);

    private DiscoverCommand() {
    }

    static int run(String[] arguments, PrintStream out) throws CommandException {
        if (arguments.length < 2) {
            throw new CommandException(USAGE);
        }
        long pid = AttachCommand.parsePid(arguments[1]);
        List<String> packages = new ArrayList<>();
        long millis = DiscoveryOptions.DEFAULT_MILLIS;
        Path file = Paths.get("suggested.conf");
        boolean status = false;
        try {
            for (int i = 2; i < arguments.length; i++) {
                String option = arguments[i];
                if (option.equals("--status")) {
                    status = true;
                } else if (option.equals("--packages") && i + 1 < arguments.length) {
                    packages.addAll(DiscoveryOptions.packageList(arguments[++i]));
                } else if (option.equals("--for") && i + 1 < arguments.length) {
                    millis = DiscoveryOptions.durationMillis(arguments[++i]);
                } else if (option.equals("--out") && i + 1 < arguments.length) {
                    file = Paths.get(arguments[++i]);
                } else {
                    throw new CommandException("discover: unexpected '" + option + "'; " + USAGE);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandException("discover: " + e.getMessage());
        }
        AttachCommand.checkProcess(pid);
        Path target = file.toAbsolutePath().normalize();
        if (status) {
            try (Connection connection = Connection.open(pid)) {
                out.println(connection.isRegistered() ? "discover PID " + pid + ": " + connection.attribute("Status")
                        : "no discovery has run in PID " + pid + " since the agent was loaded");
            }
            return 0;
        }
        if (target.getParent() != null && !Files.isDirectory(target.getParent())) {
            throw new CommandException(target.getParent() + ": no such directory for --out");
        }
        try (Connection connection = Connection.open(pid)) {
            if (connection.isRegistered() && !Boolean.TRUE.equals(connection.attribute("Finished"))) {
                throw new CommandException("a discovery already runs in PID " + pid + " ("
                        + connection.attribute("Status") + "); follow it with: discover " + pid + " --status");
            }
            AttachClient.load(pid, AttachCommand.agentJar(), AgentArguments.discover(DiscoveryOptions.text(packages, millis)));
            if (!connection.isRegistered() || Boolean.TRUE.equals(connection.attribute("Finished"))) {
                throw new CommandException("the discovery did not start in PID " + pid + "; see that JVM's stderr");
            }
            out.println("discover PID " + pid + ": watching "
                    + (packages.isEmpty() ? "classes named like data access or services" : String.join(", ", packages))
                    + " for " + arguments(millis) + "; Ctrl-C ends it early and still writes " + target);
            return follow(connection, pid, millis, target, out);
        }
    }

    private static int follow(Connection connection, long pid, long millis, Path target, PrintStream out)
            throws CommandException {
        AtomicBoolean written = new AtomicBoolean();
        Thread onInterrupt = new Thread(() -> {
            if (!written.get()) {
                try {
                    write(connection.finish(), connection.restored(), target, written, out);
                } catch (CommandException e) {
                    System.err.println("cache-aside-agent: " + e.getMessage());
                }
            }
        }, "discover-interrupted");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis + GRACE_MILLIS);
        try {
            while (System.nanoTime() < deadline) {
                sleep(Math.min(PROGRESS_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
                if (!connection.isRegistered()) {
                    throw new CommandException("the discovery in PID " + pid + " is gone (the agent was disabled"
                            + " before it ended?); no file written");
                }
                out.println("discover PID " + pid + ": " + connection.attribute("Status"));
                if (Boolean.TRUE.equals(connection.attribute("Finished"))) {
                    break;
                }
            }
            String report = (String) connection.attribute("Report");
            write(report != null ? report : connection.finish(), connection.restored(), target, written, out);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down: the hook runs or ran
            }
        }
        return 0;
    }

    private static synchronized void write(String report, boolean restored, Path target, AtomicBoolean written,
                                           PrintStream out) throws CommandException {
        if (written.getAndSet(true)) {
            return;
        }
        try {
            Files.write(target, report.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CommandException("cannot write " + target + ": " + e.getMessage());
        }
        int cache = 0;
        int evict = 0;
        boolean inEvict = false;
        for (String line : report.split("\n")) {
            if (line.equals("  evict {")) {
                inEvict = true;
            } else if (line.startsWith("    ") && line.contains("{ method = ")) {
                if (inEvict) {
                    evict++;
                } else {
                    cache++;
                }
            }
        }
        out.println("discovery ended; " + (restored ? "every watched method has its original code back"
                : "some watched methods could not be given their original code back (the target's log names them);"
                + " they call the discovery bridge, which does nothing now") + ". Wrote " + target + ": "
                + cache + " cache rule(s), " + evict + " evict rule(s). Check it before use: check " + target
                + " --classpath app.jar");
        out.flush();
    }

    private static String arguments(long millis) {
        long seconds = TimeUnit.MILLISECONDS.toSeconds(millis);
        return seconds % 60 == 0 && seconds > 0 ? seconds / 60 + "m" : seconds + "s";
    }

    private static void sleep(long millis) throws CommandException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted");
        }
    }

    /** The target's local JMX connector, held open while the discovery runs. */
    private static final class Connection implements AutoCloseable {
        private final long pid;
        private final JMXConnector connector;
        private final MBeanServerConnection server;
        private final ObjectName name;

        private Connection(long pid, JMXConnector connector) throws IOException, JMException {
            this.pid = pid;
            this.connector = connector;
            this.server = connector.getMBeanServerConnection();
            this.name = new ObjectName(MBEAN);
        }

        static Connection open(long pid) throws CommandException {
            String address = JmxReader.localConnectorAddress(pid);
            try {
                return new Connection(pid, JMXConnectorFactory.connect(new JMXServiceURL(address)));
            } catch (IOException | JMException | RuntimeException e) {
                throw new CommandException("cannot reach PID " + pid + " over JMX: " + e);
            } catch (NoClassDefFoundError e) {
                throw new CommandException(AttachClient.NO_ATTACH_API);
            }
        }

        boolean isRegistered() throws CommandException {
            try {
                return server.isRegistered(name);
            } catch (IOException | RuntimeException e) {
                throw lost(e);
            }
        }

        Object attribute(String attribute) throws CommandException {
            try {
                return server.getAttribute(name, attribute);
            } catch (IOException | JMException | RuntimeException e) {
                throw lost(e);
            }
        }

        /** Whether the target restored every watched class; an agent that does not say is taken at its log. */
        boolean restored() throws CommandException {
            try {
                return !Boolean.FALSE.equals(server.getAttribute(name, "Restored"));
            } catch (AttributeNotFoundException e) {
                return true;
            } catch (IOException | JMException | RuntimeException e) {
                throw lost(e);
            }
        }

        String finish() throws CommandException {
            try {
                return (String) server.invoke(name, "finish", new Object[0], new String[0]);
            } catch (IOException | JMException | RuntimeException e) {
                throw lost(e);
            }
        }

        private CommandException lost(Exception e) {
            return new CommandException("lost the discovery in PID " + pid + ": " + e);
        }

        @Override
        public void close() {
            try {
                connector.close();
            } catch (IOException ignored) {
                // the command ends; nothing is left to release on our side
            }
        }
    }
}
