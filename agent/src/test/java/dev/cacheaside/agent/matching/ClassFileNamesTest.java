package dev.cacheaside.agent.matching;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassFileNamesTest {

    @SuppressWarnings("unused")
    static class Declares {
        public Object findById(long id) {
            return 1.5d; // a Double constant takes two pool slots: the scan must step over both
        }
    }

    @SuppressWarnings("unused")
    static class Unrelated {
        public long total = 7_000_000_000L;

        public Object findAll() {
            return null;
        }
    }

    @Test
    void aClassThatDeclaresANamedMethod_isACandidate_andOneWithoutAnyIsNot() throws IOException {
        ClassFileNames names = new ClassFileNames(List.of("findById", "update"));

        assertTrue(names.mayDeclare(bytesOf(Declares.class)));
        assertFalse(names.mayDeclare(bytesOf(Unrelated.class)));
        assertFalse(new ClassFileNames(List.of("findByIdAndName")).mayDeclare(bytesOf(Declares.class)),
                "a longer name does not match a prefix of it");
    }

    interface Marker {
    }

    static class Both extends Declares implements Marker, Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void directSupertypes_areTheSuperclassAndTheInterfaces() throws IOException {
        assertArrayEquals(new String[] {"dev/cacheaside/agent/matching/ClassFileNamesTest$Declares",
                "dev/cacheaside/agent/matching/ClassFileNamesTest$Marker", "java/lang/Runnable"},
                ClassFileNames.directSupertypes(bytesOf(Both.class)));
        assertArrayEquals(new String[] {"java/lang/Object"}, ClassFileNames.directSupertypes(bytesOf(Declares.class)));
        assertArrayEquals(new String[0], ClassFileNames.directSupertypes(bytesOf(Object.class)));
        assertNull(ClassFileNames.directSupertypes(new byte[] {1, 2, 3}));
    }

    @Test
    void bytesItCannotRead_passToTheFullMatcher() {
        ClassFileNames names = new ClassFileNames(List.of("findById"));

        assertTrue(names.mayDeclare(new byte[] {1, 2, 3}));
        assertTrue(names.mayDeclare(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 9,
                1, 0, 50}), "a truncated pool");
    }

    private static byte[] bytesOf(Class<?> type) throws IOException {
        String resource = type.getName().replace('.', '/') + ".class";
        try (InputStream in = ClassLoader.getSystemResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
