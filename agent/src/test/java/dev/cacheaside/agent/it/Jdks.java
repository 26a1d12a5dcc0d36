package dev.cacheaside.agent.it;

import java.io.IOException;
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

    /**
     * The oldest and the newest of {@link #all()}, for tests of behaviour that lives in the agent and
     * Redis rather than in the JVM (failures, consistency, cluster): they run on both ends of the range
     * and leave the middle to the tests of JVM-dependent behaviour, which run on every JDK.
     */
    static List<Path> oldestAndNewest() {
        List<Path> sorted = new ArrayList<>(all());
        sorted.sort(java.util.Comparator.comparingInt(Jdks::feature));
        List<Path> ends = new ArrayList<>();
        ends.add(sorted.get(0));
        if (sorted.size() > 1) {
            ends.add(sorted.get(sorted.size() - 1));
        }
        return ends;
    }

    /** Those of {@link #all()} whose feature release lies in [from, to). */
    static List<Path> between(int from, int to) {
        List<Path> chosen = new ArrayList<>();
        for (Path jdk : all()) {
            int feature = feature(jdk);
            if (feature >= from && feature < to) {
                chosen.add(jdk);
            }
        }
        return chosen;
    }

    /** The feature release of a JDK home (8, 11, 17, ...), from its {@code release} file or its layout. */
    static int feature(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    String[] parts = version.split("[._-]");
                    return parts[0].equals("1") ? Integer.parseInt(parts[1]) : Integer.parseInt(parts[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no release file: Debian's JDK 8 has none
        }
        return Files.exists(home.resolve("jre/lib/rt.jar")) ? 8 : Runtime.version().feature();
    }

    /** Only the JDK running the tests, for checks that do not depend on the JDK. */
    static Path current() {
        return Path.of(System.getProperty("java.home"));
    }
}
