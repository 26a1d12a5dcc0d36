package dev.cacheaside.agent.cli;

import net.bytebuddy.dynamic.ClassFileLocator;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * An application's class path read as files, never loaded: plain jars, directories, and the nested
 * layouts of Spring Boot fat jars ({@code BOOT-INF/classes}, {@code BOOT-INF/lib/*.jar}) and wars
 * ({@code WEB-INF/classes}, {@code WEB-INF/lib/*.jar}).
 */
final class ClassPath implements AutoCloseable {

    private static final String[] CLASS_ROOTS = {"", "BOOT-INF/classes/", "WEB-INF/classes/"};
    private static final String[] LIB_ROOTS = {"BOOT-INF/lib/", "WEB-INF/lib/"};

    private final List<ClassFileLocator> locators = new ArrayList<>();
    private final TreeSet<String> classNames = new TreeSet<>();
    private final List<Path> extracted = new ArrayList<>();
    private final List<JarFile> jars = new ArrayList<>();

    ClassPath(String classPath) throws CommandException {
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path path = Paths.get(entry);
            try {
                if (Files.isDirectory(path)) {
                    addDirectory(path);
                } else if (Files.isRegularFile(path)) {
                    addJar(path, true);
                } else {
                    throw new CommandException(entry + ": no such file or directory on --classpath");
                }
            } catch (IOException e) {
                throw new CommandException("cannot read " + entry + ": " + e.getMessage());
            }
        }
    }

    /** Every class the class path holds, by binary name. */
    TreeSet<String> classNames() {
        return classNames;
    }

    /** Finds class files on this class path, then in the JDK. */
    ClassFileLocator locator() {
        List<ClassFileLocator> all = new ArrayList<>(locators);
        all.add(ClassFileLocator.ForClassLoader.ofPlatformLoader());
        return new ClassFileLocator.Compound(all);
    }

    private void addDirectory(Path directory) throws IOException {
        locators.add(new ClassFileLocator.ForFolder(directory.toFile()));
        try (Stream<Path> files = Files.walk(directory)) {
            files.filter(file -> file.toString().endsWith(".class")).forEach(file -> addName(
                    directory.relativize(file).toString().replace(File.separatorChar, '/')));
        }
    }

    private void addJar(Path path, boolean outermost) throws IOException {
        JarFile jar = new JarFile(path.toFile());
        jars.add(jar);
        for (String root : CLASS_ROOTS) {
            locators.add(new InJar(jar, root));
        }
        List<JarEntry> nested = new ArrayList<>();
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            JarEntry entry = entries.nextElement();
            String name = entry.getName();
            if (outermost && name.endsWith(".jar") && isLib(name)) {
                nested.add(entry);
            } else if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
                addName(stripRoot(name));
            }
        }
        for (JarEntry entry : nested) {
            Path copy = Files.createTempFile("cache-aside-check", ".jar");
            extracted.add(copy);
            try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            addJar(copy, false);
        }
    }

    private static boolean isLib(String name) {
        for (String root : LIB_ROOTS) {
            if (name.startsWith(root)) {
                return true;
            }
        }
        return false;
    }

    private static String stripRoot(String name) {
        for (String root : CLASS_ROOTS) {
            if (!root.isEmpty() && name.startsWith(root)) {
                return name.substring(root.length());
            }
        }
        return name;
    }

    private void addName(String resource) {
        if (resource.endsWith("module-info.class") || resource.endsWith("package-info.class")) {
            return;
        }
        classNames.add(resource.substring(0, resource.length() - ".class".length()).replace('/', '.'));
    }

    @Override
    public void close() {
        for (JarFile jar : jars) {
            try {
                jar.close();
            } catch (IOException ignored) {
                // read-only use; nothing to flush
            }
        }
        for (Path copy : extracted) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException ignored) {
                // a temporary file; the system cleans it
            }
        }
    }

    /** Class files under a folder of a jar. */
    private static final class InJar implements ClassFileLocator {
        private final JarFile jar;
        private final String root;

        InJar(JarFile jar, String root) {
            this.jar = jar;
            this.root = root;
        }

        @Override
        public Resolution locate(String name) throws IOException {
            JarEntry entry = jar.getJarEntry(root + name.replace('.', '/') + ".class");
            if (entry == null) {
                return new Resolution.Illegal(name);
            }
            try (InputStream in = jar.getInputStream(entry)) {
                return new Resolution.Explicit(readAll(in));
            }
        }

        @Override
        public void close() {
            // the jar is closed by the class path
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int read; (read = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }
}
