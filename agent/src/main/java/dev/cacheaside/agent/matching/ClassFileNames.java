package dev.cacheaside.agent.matching;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;

/**
 * A first test on a class file's bytes, before anything parses it: does its constant pool hold one of
 * the method names the rules name? A class that declares such a method must hold its name there, so
 * a class without any is skipped at the cost of one pass over the pool, with no class loaded and
 * nothing allocated.
 */
public final class ClassFileNames {

    private static final int MAGIC = 0xCAFEBABE;
    private static final byte UTF8 = 1;

    /** Names by length, as their (ASCII or modified UTF-8) bytes; index = length. */
    private final byte[][][] byLength;

    public ClassFileNames(Collection<String> names) {
        this.byLength = table(names);
    }

    /** Null when a name's class-file form (modified UTF-8) could differ from UTF-8: all classes then pass. */
    private static byte[][][] table(Collection<String> names) {
        int longest = 0;
        for (String name : names) {
            if (name.indexOf('\0') >= 0 || name.codePoints().anyMatch(Character::isSupplementaryCodePoint)) {
                return null;
            }
            longest = Math.max(longest, name.getBytes(StandardCharsets.UTF_8).length);
        }
        byte[][][] table = new byte[longest + 1][][];
        for (String name : names) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            byte[][] same = table[bytes.length];
            same = same == null ? new byte[1][] : Arrays.copyOf(same, same.length + 1);
            same[same.length - 1] = bytes;
            table[bytes.length] = same;
        }
        return table;
    }

    /**
     * Whether the class file may declare a method of one of the names; true also for bytes this
     * cannot read, so that the full matcher decides.
     */
    public boolean mayDeclare(byte[] classFile) {
        if (byLength == null) {
            return true;
        }
        try {
            return scan(classFile);
        } catch (ArrayIndexOutOfBoundsException e) {
            return true;
        }
    }

    private boolean scan(byte[] classFile) {
        if (classFile.length < 10 || readInt(classFile, 0) != MAGIC) {
            return true;
        }
        int count = readShort(classFile, 8);
        int position = 10;
        for (int index = 1; index < count; index++) {
            int size = entrySize(classFile, position);
            if (size == 0) {
                return true; // a tag of a newer class file version: let the full matcher decide
            }
            if (classFile[position] == UTF8) {
                int length = size - 3;
                if (length < byLength.length && byLength[length] != null
                        && matches(classFile, position + 3, byLength[length])) {
                    return true;
                }
            }
            index += slots(classFile[position]) - 1;
            position += size;
        }
        return false;
    }

    /** The bytes of the constant pool entry at {@code position}, tag included; 0 for a tag this does not know. */
    private static int entrySize(byte[] classFile, int position) {
        switch (classFile[position]) {
            case UTF8:
                return 3 + readShort(classFile, position + 1);
            case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                return 5;
            case 5: case 6:
                return 9;
            case 7: case 8: case 16: case 19: case 20:
                return 3;
            case 15:
                return 4;
            default:
                return 0;
        }
    }

    /** Long and Double entries take two slots of the pool's numbering. */
    private static int slots(byte tag) {
        return tag == 5 || tag == 6 ? 2 : 1;
    }

    private static boolean matches(byte[] classFile, int offset, byte[][] candidates) {
        for (byte[] candidate : candidates) {
            int i = 0;
            while (i < candidate.length && classFile[offset + i] == candidate[i]) {
                i++;
            }
            if (i == candidate.length) {
                return true;
            }
        }
        return false;
    }

    /**
     * The direct supertypes a class file names, in internal form: its superclass (absent for
     * java.lang.Object) and its interfaces; null when the bytes cannot be read.
     */
    public static String[] directSupertypes(byte[] classFile) {
        try {
            return readSupertypes(classFile);
        } catch (ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static String[] readSupertypes(byte[] classFile) {
        if (classFile.length < 10 || readInt(classFile, 0) != MAGIC) {
            return null;
        }
        int count = readShort(classFile, 8);
        int[] offsets = new int[count];
        int position = 10;
        for (int index = 1; index < count; index++) {
            offsets[index] = position;
            int size = entrySize(classFile, position);
            if (size == 0) {
                return null;
            }
            index += slots(classFile[position]) - 1;
            position += size;
        }
        int superIndex = readShort(classFile, position + 4);
        int interfaces = readShort(classFile, position + 6);
        String[] names = new String[(superIndex == 0 ? 0 : 1) + interfaces];
        int next = 0;
        if (superIndex != 0) {
            names[next++] = className(classFile, offsets, superIndex);
        }
        for (int i = 0; i < interfaces; i++) {
            names[next++] = className(classFile, offsets, readShort(classFile, position + 8 + 2 * i));
        }
        return names;
    }

    /** The name a CONSTANT_Class entry points to; class names are ASCII in practice, anything else is kept as UTF-8. */
    private static String className(byte[] classFile, int[] offsets, int classIndex) {
        int utf8 = offsets[readShort(classFile, offsets[classIndex] + 1)];
        return new String(classFile, utf8 + 3, readShort(classFile, utf8 + 1), StandardCharsets.UTF_8);
    }

    private static int readShort(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }

    private static int readInt(byte[] bytes, int offset) {
        return (readShort(bytes, offset) << 16) | readShort(bytes, offset + 2);
    }
}
