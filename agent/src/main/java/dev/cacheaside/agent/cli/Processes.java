package dev.cacheaside.agent.cli;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * What the command line needs to know of another process, on Java 8 as on later JDKs: Java 8 has no
 * {@code ProcessHandle}, so this reads {@code /proc} where it exists and answers "don't know" elsewhere.
 */
final class Processes {

    private Processes() {
    }

    static boolean isAlive(long pid) {
        File proc = new File("/proc");
        if (proc.isDirectory()) {
            return new File(proc, String.valueOf(pid)).isDirectory();
        }
        return true; // no /proc: the attach itself says whether the process exists
    }

    static long currentPid() {
        try {
            Class<?> handle = Class.forName("java.lang.ProcessHandle");
            return (Long) handle.getMethod("pid").invoke(handle.getMethod("current").invoke(null));
        } catch (ReflectiveOperationException | LinkageError java8) {
            // Java 8: the runtime's name is "pid@host" on every JVM we know
        }
        String name = ManagementFactory.getRuntimeMXBean().getName();
        int at = name.indexOf('@');
        try {
            return Long.parseLong(at > 0 ? name.substring(0, at) : name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The user that owns the process, or null where that cannot be told. */
    static String owner(long pid) {
        try {
            return Files.getOwner(Paths.get("/proc", String.valueOf(pid))).getName();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
