package com.example.bench;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.FixedValue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * What matching costs an application that loads many classes: writes a jar of generated classes
 * and a config of 100 rules, then loads every class in fresh JVMs without and with the agent,
 * alternating, and prints the medians and their ratio.
 *
 * <p>The classes use a small vocabulary of method names, so a third of them declare a method named
 * like the rules' {@code findById} and pass the agent's cheap name test, only to be turned down by the
 * full matcher; 200 implement one of the 100 rule interfaces and are instrumented. Each JVM waits two
 * seconds before it loads, so that the agent's own start is not counted.
 */
public final class ClassLoadingCost {

    private static final String PACKAGE = "com.example.generated.";
    private static final int RULES = 100;
    private static final int RULE_IMPLEMENTATIONS = 200;
    private static final String[] VOCABULARY = {"findById", "findAll", "save", "update", "delete", "get", "set",
            "count", "exists", "load", "process", "handle", "apply", "compute", "render"};

    private ClassLoadingCost() {
    }

    /** On its own: {@code java -cp bench/target/cache-aside-bench.jar com.example.bench.ClassLoadingCost [classes] [rounds]}. */
    public static void main(String[] args) throws Exception {
        Path agentJar = Path.of("agent/target/cache-aside-agent.jar").toAbsolutePath();
        try (dev.cacheaside.testkit.RedisServer redis = dev.cacheaside.testkit.RedisServer.startNew()) {
            run(agentJar, redis.uri(), args.length > 0 ? Integer.parseInt(args[0]) : 20_000,
                    args.length > 1 ? Integer.parseInt(args[1]) : 5);
        }
    }

    /** Writes the jar and config, runs the JVMs, prints the result. */
    static void run(Path agentJar, String redisUri, int classes, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("class-loading");
        Path jar = dir.resolve("generated.jar");
        writeJar(jar, classes);
        Path config = writeRules(dir.resolve("rules.conf"), redisUri, "Repo");
        // the same names on interfaces nothing implements: every candidate is matched, none instrumented
        Path unmatched = writeRules(dir.resolve("unmatched.conf"), redisUri, "Unused");

        double[] without = new double[rounds];
        double[] matchingOnly = new double[rounds];
        double[] with = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            without[round] = loadInChild(jar, classes, null);
            matchingOnly[round] = loadInChild(jar, classes, "-javaagent:" + agentJar + "=" + unmatched);
            with[round] = loadInChild(jar, classes, "-javaagent:" + agentJar + "=" + config);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "class loading, %,d generated classes, a third of them declaring a method named"
                + " like the rules', %d rules, %d rounds alternating: median [min .. max] ms%n", classes, RULES, rounds);
        print("without agent", without);
        print("with agent, rules that match no class", matchingOnly);
        print("with agent, rules that instrument " + Math.min(classes, RULE_IMPLEMENTATIONS) + " classes", with);
        System.out.printf(Locale.ROOT, "  ratio with/without: %.3f matching only, %.3f matching and instrumenting%n",
                median(matchingOnly) / median(without), median(with) / median(without));
    }

    private static Path writeRules(Path file, String redisUri, String typePrefix) throws IOException {
        StringBuilder rules = new StringBuilder("cache-aside {\n  redis.uri = \"" + redisUri
                + "\"\n  stats-interval = 0\n  reload = false\n  cache {\n");
        for (int i = 0; i < RULES; i++) {
            rules.append("    rule").append(i).append(" { method = \"").append(PACKAGE).append(typePrefix).append(i)
                    .append("#findById(long)\", key = \"gen").append(i).append(":{0}\" }\n");
        }
        Files.writeString(file, rules.append("  }\n}\n").toString());
        return file;
    }

    private static void print(String label, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "  %-48s %8.0f  [%6.0f .. %6.0f]%n", label, median(sorted), sorted[0],
                sorted[sorted.length - 1]);
    }

    private static double loadInChild(Path jar, int classes, String agent) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        if (agent != null) {
            command.add(agent);
        }
        command.addAll(List.of("-cp", Path.of(ClassLoadingCost.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).toString(), Child.class.getName(), jar.toString(), String.valueOf(classes)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes()).trim();
        if (process.waitFor() != 0 || out.isEmpty()) {
            throw new IllegalStateException("the class-loading JVM failed: " + command + " printed '" + out + "'");
        }
        return Double.parseDouble(out.substring(out.lastIndexOf('\n') + 1));
    }

    private static void writeJar(Path jar, int classes) throws IOException {
        Random random = new Random(42);
        ByteBuddy byteBuddy = new ByteBuddy();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            List<TypeDescription> repositories = new ArrayList<>();
            for (int i = 0; i < RULES; i++) {
                DynamicType.Unloaded<?> repository = byteBuddy.makeInterface().name(PACKAGE + "Repo" + i)
                        .defineMethod("findById", Object.class, Visibility.PUBLIC).withParameters(long.class)
                        .withoutCode().make();
                repositories.add(repository.getTypeDescription());
                write(out, repository);
            }
            for (int i = 0; i < classes; i++) {
                DynamicType.Builder<Object> type = byteBuddy.subclass(Object.class).name(PACKAGE + "C" + i);
                List<String> names = new ArrayList<>(Arrays.asList(VOCABULARY));
                Collections.shuffle(names, random);
                List<String> declared = new ArrayList<>(names.subList(0, 5));
                if (i < RULE_IMPLEMENTATIONS) {
                    type = type.implement(repositories.get(i % RULES));
                    if (!declared.contains("findById")) {
                        declared.set(0, "findById");
                    }
                }
                for (String name : declared) {
                    type = type.defineMethod(name, Object.class, Visibility.PUBLIC).withParameters(long.class)
                            .intercept(FixedValue.value(name));
                }
                write(out, type.make());
            }
        }
    }

    private static void write(JarOutputStream out, DynamicType.Unloaded<?> type) throws IOException {
        out.putNextEntry(new JarEntry(type.getTypeDescription().getInternalName() + ".class"));
        out.write(type.getBytes());
        out.closeEntry();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The JVM that loads the classes: waits for the agent to settle, then loads and initializes each one. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Thread.sleep(2000);
            int classes = Integer.parseInt(args[1]);
            try (URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(args[0]).toUri().toURL()},
                    ClassLoadingCost.class.getClassLoader())) {
                long started = System.nanoTime();
                for (int i = 0; i < classes; i++) {
                    Class.forName(PACKAGE + "C" + i, true, loader);
                }
                System.out.println((System.nanoTime() - started) / 1e6);
            }
        }
    }
}
