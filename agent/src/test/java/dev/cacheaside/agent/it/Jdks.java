package dev.cacheaside.agent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The JDKs the forked-JVM tests run on: {@code -Dit.jdks=home1,home2}, those that exist. */
final class Jdks {

    private Jdks() {
    }

    static List<Path> all() {
        Set<Path> homes = new LinkedHashSet<>();
        for (String home : System.getProperty("it.jdks", System.getProperty("java.home")).split(",")) {
            Path path = Path.of(home.trim());
            if (!home.isBlank() && Files.isExecutable(path.resolve("bin/java"))) {
                homes.add(path.toAbsolutePath().normalize());
            } else if (!home.isBlank()) {
                System.err.println("[it] no JDK at " + home + ", its runs are left out");
            }
        }
        if (homes.isEmpty()) {
            homes.add(current());
        }
        return new ArrayList<>(homes);
    }

    /** Only the JDK running the tests, for checks that do not depend on the JDK. */
    static Path current() {
        return Path.of(System.getProperty("java.home"));
    }
}
