package dev.cacheaside.agent;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent runs in legacy JVMs: its classes must load on Java 8, and its entry class on Java 7 where the build can. */
class ByteCodeVersionTest {

    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void everyAgentClass_isJava8ByteCode() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            List<String> newer = files.filter(file -> file.toString().endsWith(".class"))
                    .filter(file -> major(file) > 52)
                    .map(file -> CLASSES.relativize(file) + " (" + major(file) + ")")
                    .collect(Collectors.toList());
            assertEquals(List.of(), newer, "classes a Java 8 JVM cannot load");
        }
    }

    @Test
    void entryClass_isJava7ByteCode_whenTheBuildJdkCanWriteIt() {
        int major = major(CLASSES.resolve("dev/cacheaside/agent/CacheAsideAgent.class"));
        if (Runtime.version().feature() < 20) {
            assertEquals(51, major);
        } else {
            assertTrue(major <= 52, "major " + major);
        }
    }

    @Test
    void javaVersion_readsEveryFormOfTheSpecificationVersion() {
        assertEquals(8, JavaVersion.parse("1.8"));
        assertEquals(7, JavaVersion.parse("1.7"));
        assertEquals(11, JavaVersion.parse("11"));
        assertEquals(25, JavaVersion.parse("25"));
    }

    private static int major(Path classFile) {
        try (InputStream in = Files.newInputStream(classFile); DataInputStream data = new DataInputStream(in)) {
            data.readInt();
            data.readUnsignedShort();
            return data.readUnsignedShort();
        } catch (IOException e) {
            throw new IllegalStateException(classFile.toString(), e);
        }
    }
}
