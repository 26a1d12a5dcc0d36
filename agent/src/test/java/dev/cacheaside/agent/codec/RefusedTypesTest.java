package dev.cacheaside.agent.codec;

import com.fasterxml.jackson.databind.JavaType;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reflective types never enter or leave the cache: a planted value must never initialise a class. */
class RefusedTypesTest {

    private final JsonCodec codec = new JsonCodec();

    /** Records whether its static initialiser ran. */
    static final class Tripwire {
        static final boolean[] INITIALISED = new boolean[1];
    }

    @SuppressWarnings("unused")
    static final class Planted {
        static {
            Tripwire.INITIALISED[0] = true;
        }
    }

    @SuppressWarnings("unused")
    static class Handler {
        String name;
        Class<?> type;
    }

    @SuppressWarnings("unused")
    static class Wrapper {
        List<Map<String, Handler>> handlers;
    }

    @SuppressWarnings("unused")
    static class Holder {
        Object anything;
    }

    @SuppressWarnings("unused")
    interface Shapes {
        Class<?> type();

        Handler handler();

        Wrapper wrapper();

        List<Method> methods();

        Thread thread();

        ClassLoader loader();

        Holder holder();

        List<String> fine();
    }

    @Test
    void decode_className_asClass_initialisesNothing() {
        byte[] planted = ("\"" + Planted.class.getName() + "\"").getBytes(StandardCharsets.UTF_8);
        byte[] plantedField = ("{\"name\":\"h\",\"type\":\"" + Planted.class.getName() + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        CodecException e = assertThrows(CodecException.class, () -> codec.decode(planted, type("type")));
        assertThrows(CodecException.class, () -> codec.decode(plantedField, type("handler")));

        assertFalse(Tripwire.INITIALISED[0], "a planted value initialised a class");
        assertEquals(CodecException.Cause.REFUSED_TYPE, e.cause());
    }

    @Test
    void encode_classInAnObjectField_isRefused() {
        Holder holder = new Holder();
        holder.anything = String.class;

        CodecException e = assertThrows(CodecException.class, () -> codec.encode(holder));

        assertEquals(CodecException.Cause.REFUSED_TYPE, e.cause());
        assertTrue(e.getMessage().contains("java.lang.Class"), e.getMessage());
        assertTrue(e.fix().contains("String"), e.fix());
    }

    @Test
    void encodeForDigest_classArgument_isItsName() throws Exception {
        assertEquals("\"java.lang.String\"", new String(codec.encodeForDigest(String.class), StandardCharsets.UTF_8));
    }

    @Test
    void refusedTypeIn_findsReflectiveTypesInTheDeclaredType() throws Exception {
        assertEquals("java.lang.Class", refused("type"));
        assertTrue(refused("handler").contains("java.lang.Class"), refused("handler"));
        assertTrue(refused("handler").contains(".type"), refused("handler"));
        assertTrue(refused("wrapper").contains("java.lang.Class"), refused("wrapper"));
        assertTrue(refused("methods").contains("java.lang.reflect.Method"), refused("methods"));
        assertTrue(refused("thread").contains("java.lang.Thread"), refused("thread"));
        assertTrue(refused("loader").contains("java.lang.ClassLoader"), refused("loader"));
        assertNull(refused("holder"));
        assertNull(refused("fine"));
    }

    private String refused(String method) throws NoSuchMethodException {
        return codec.refusedTypeIn(type(method));
    }

    private JavaType type(String method) throws NoSuchMethodException {
        return codec.typeOf(Shapes.class.getMethod(method).getGenericReturnType());
    }
}
