package dev.cacheaside.agent.it;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Whether a class in a running JVM still carries the discovery advice: attaches a tiny agent (compiled
 * here for Java 8, so that every JDK under test loads it) that retransforms the class with a transformer
 * registered after the agent's, so it sees the class file as every other transformer leaves it, and
 * reports whether that file calls the bridge.
 */
final class ClassBytes {

    private static final String AGENT_SOURCE = String.join("\n",
            "package probe;",
            "public class BytesAgent {",
            "  public static void agentmain(String args, java.lang.instrument.Instrumentation inst) throws Exception {",
            "    String[] parts = args.split(\"\\\\|\");",
            "    String answer;",
            "    try {",
            "      answer = inspect(parts[0], inst);",
            "    } catch (Throwable e) {",
            "      java.io.StringWriter trace = new java.io.StringWriter();",
            "      e.printStackTrace(new java.io.PrintWriter(trace));",
            "      answer = \"error \" + trace;",
            "    }",
            "    java.nio.file.Files.write(java.nio.file.Paths.get(parts[1]), answer.getBytes(\"UTF-8\"));",
            "  }",
            "  static String inspect(String className, java.lang.instrument.Instrumentation inst) throws Exception {",
            "    final String internal = className.replace('.', '/');",
            "    Class<?> target = null;",
            "    for (Class<?> c : inst.getAllLoadedClasses()) { if (c.getName().equals(className)) { target = c; } }",
            "    final byte[][] seen = new byte[1][];",
            "    java.lang.instrument.ClassFileTransformer t = new java.lang.instrument.ClassFileTransformer() {",
            "      public byte[] transform(ClassLoader l, String name, Class<?> c, java.security.ProtectionDomain d,",
            "          byte[] b) { if (internal.equals(name)) { seen[0] = b.clone(); } return null; } };",
            "    inst.addTransformer(t, true);",
            "    try { inst.retransformClasses(target); } finally { inst.removeTransformer(t); }",
            "    String text = new String(seen[0], \"ISO-8859-1\");",
            "    return text.contains(\"dev/cacheaside/bridge/DiscoveryBridge\") ? \"woven\" : \"original\";",
            "  }",
            "}");
    // run by the target's own JDK: a JDK 9+ attach client cannot load an agent into a Java 8 JVM
    private static final String ATTACH_SOURCE = String.join("\n",
            "package probe;",
            "public class Attach {",
            "  public static void main(String[] args) throws Exception {",
            "    Class<?> vmType = Class.forName(\"com.sun.tools.attach.VirtualMachine\");",
            "    Object vm = vmType.getMethod(\"attach\", String.class).invoke(null, args[0]);",
            "    try {",
            "      vmType.getMethod(\"loadAgent\", String.class, String.class).invoke(vm, args[1], args[2]);",
            "    } finally {",
            "      vmType.getMethod(\"detach\").invoke(vm);",
            "    }",
            "  }",
            "}");

    private final Path jar;
    private final Path dir;

    private ClassBytes(Path dir, Path jar) {
        this.dir = dir;
        this.jar = jar;
    }

    static ClassBytes in(Path dir) throws IOException {
        Path sources = Files.createDirectories(dir.resolve("bytes-agent/probe"));
        Path source = Files.writeString(sources.resolve("BytesAgent.java"), AGENT_SOURCE);
        Path attach = Files.writeString(sources.resolve("Attach.java"), ATTACH_SOURCE);
        Path classes = Files.createDirectories(dir.resolve("bytes-agent/classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "--release", "8", "-d", classes.toString(), source.toString(),
                attach.toString());
        if (status != 0) {
            throw new IllegalStateException("cannot compile the bytes agent");
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Agent-Class", "probe.BytesAgent");
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        Path jar = dir.resolve("bytes-agent.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            try (java.util.stream.Stream<Path> compiled = Files.list(classes.resolve("probe"))) {
                for (Path file : (Iterable<Path>) compiled::iterator) {
                    out.putNextEntry(new JarEntry("probe/" + file.getFileName()));
                    out.write(Files.readAllBytes(file));
                    out.closeEntry();
                }
            }
        }
        return new ClassBytes(dir, jar);
    }

    /** "woven" while the class file calls the discovery bridge, else "original"; attaches with {@code jdk}. */
    String of(Path jdk, long pid, String className) throws Exception {
        Path answer = Files.createTempFile(dir, "bytes", ".txt");
        String classPath = jar.toString();
        Path tools = jdk.resolve("lib/tools.jar");
        if (Files.isRegularFile(tools)) {
            classPath += java.io.File.pathSeparator + tools;
        }
        Process process = new ProcessBuilder(jdk.resolve("bin/java").toString(), "-cp", classPath, "probe.Attach",
                String.valueOf(pid), jar.toString(), className + "|" + answer).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new AssertionError("cannot attach the bytes agent: " + output);
        }
        return Files.readString(answer, StandardCharsets.UTF_8);
    }
}
