package dev.cacheaside.agent.it;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

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
 * hands that file back; the class carries the advice when one of its methods' instructions names the
 * bridge. Not a search of the whole file: from JDK 20 on (JDK-7124710) a class that was retransformed is
 * reconstituted from the running class, whose constant pool keeps the entries of every earlier version,
 * so the original code comes back beside constants that still name the bridge.
 */
final class ClassBytes {

    private static final String BRIDGE = "dev/cacheaside/bridge/DiscoveryBridge";

    private static final String AGENT_SOURCE = String.join("\n",
            "package probe;",
            "public class BytesAgent {",
            "  public static void agentmain(String args, java.lang.instrument.Instrumentation inst) throws Exception {",
            "    String[] parts = args.split(\"\\\\|\");",
            "    try {",
            "      java.nio.file.Files.write(java.nio.file.Paths.get(parts[1]), inspect(parts[0], inst));",
            "    } catch (Throwable e) {",
            "      java.io.StringWriter trace = new java.io.StringWriter();",
            "      e.printStackTrace(new java.io.PrintWriter(trace));",
            "      java.nio.file.Files.write(java.nio.file.Paths.get(parts[1] + \".error\"), trace.toString().getBytes(\"UTF-8\"));",
            "    }",
            "  }",
            "  static byte[] inspect(String className, java.lang.instrument.Instrumentation inst) throws Exception {",
            "    final String internal = className.replace('.', '/');",
            "    Class<?> target = null;",
            "    for (Class<?> c : inst.getAllLoadedClasses()) { if (c.getName().equals(className)) { target = c; } }",
            "    final byte[][] seen = new byte[1][];",
            "    java.lang.instrument.ClassFileTransformer t = new java.lang.instrument.ClassFileTransformer() {",
            "      public byte[] transform(ClassLoader l, String name, Class<?> c, java.security.ProtectionDomain d,",
            "          byte[] b) { if (internal.equals(name)) { seen[0] = b.clone(); } return null; } };",
            "    inst.addTransformer(t, true);",
            "    try { inst.retransformClasses(target); } finally { inst.removeTransformer(t); }",
            "    return seen[0];",
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

    /** "woven" while a method of the class calls the discovery bridge, else "original"; attaches with {@code jdk}. */
    String of(Path jdk, long pid, String className) throws Exception {
        Path answer = Files.createTempFile(dir, "bytes", ".class");
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
        Path error = Path.of(answer + ".error");
        if (Files.exists(error)) {
            throw new AssertionError("the bytes agent failed: " + Files.readString(error, StandardCharsets.UTF_8));
        }
        return callsBridge(Files.readAllBytes(answer)) ? "woven" : "original";
    }

    private static boolean callsBridge(byte[] classFile) {
        boolean[] calls = new boolean[1];
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        calls[0] |= owner.equals(BRIDGE);
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                        calls[0] |= owner.equals(BRIDGE);
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return calls[0];
    }
}
