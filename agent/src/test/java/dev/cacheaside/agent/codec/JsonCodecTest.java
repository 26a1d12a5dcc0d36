package dev.cacheaside.agent.codec;

import com.example.fixture.Color;
import com.example.fixture.modern.Point;
import com.example.fixture.User;
import com.fasterxml.jackson.databind.JavaType;
import org.hibernate.collection.spi.PersistentCollection;
import org.hibernate.proxy.HibernateProxy;
import org.hibernate.proxy.LazyInitializer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonCodecTest {

    private final JsonCodec codec = new JsonCodec();

    /** Declared return types the round trips are read as. */
    @SuppressWarnings("unused")
    interface Shapes {
        User user();

        List<User> users();

        Map<String, List<Long>> index();

        User[] userArray();

        long[] longs();

        int primitive();

        Color color();

        Point point();

        BigDecimal price();

        Instant instant();

        LocalDate date();

        Object anything();
    }

    /** A generic DAO whose type variable a subclass fixes. */
    @SuppressWarnings("unused")
    abstract static class Dao<T> {
        abstract List<T> all();
    }

    abstract static class UserDao extends Dao<User> {
    }

    @Test
    void roundTrip_pojo_isEqualObject_andPlainJson() throws Exception {
        User user = new User(42, "Ada", "odd");

        byte[] json = codec.encode(user);

        assertEquals("{\"id\":42,\"name\":\"Ada\",\"tags\":[\"t42\"],\"team\":\"odd\"}",
                new String(json, StandardCharsets.UTF_8));
        assertEquals(user, codec.decode(json, type("user")));
    }

    @Test
    void roundTrip_genericList_keepsElementType() throws Exception {
        List<User> users = List.of(new User(1, "a", "odd"), new User(2, "b", "even"));

        Object back = codec.decode(codec.encode(users), type("users"));

        assertEquals(users, back);
        assertTrue(((List<?>) back).get(0) instanceof User);
    }

    @Test
    void roundTrip_nestedGenericMap() throws Exception {
        Map<String, List<Long>> index = Map.of("odd", List.of(1L, 3L), "even", List.of(2L));

        Object back = codec.decode(codec.encode(index), type("index"));

        assertEquals(index, back);
        assertTrue(((Map<?, ?>) back).get("odd") instanceof List);
        assertTrue(((List<?>) ((Map<?, ?>) back).get("odd")).get(0) instanceof Long);
    }

    @Test
    void roundTrip_arraysPrimitivesEnumsRecordsAndValues() throws Exception {
        User[] users = {new User(7, "seven", "odd")};
        assertArrayEquals(users, (Object[]) codec.decode(codec.encode(users), type("userArray")));
        assertArrayEquals(new long[] {1, 2}, (long[]) codec.decode(codec.encode(new long[] {1, 2}), type("longs")));
        assertEquals(5, codec.decode(codec.encode(5), type("primitive")));
        assertEquals(Color.BLUE, codec.decode(codec.encode(Color.BLUE), type("color")));
        assertEquals(new Point(1, 2, "p"), codec.decode(codec.encode(new Point(1, 2, "p")), type("point")));
        assertEquals(new BigDecimal("12.50"), codec.decode(codec.encode(new BigDecimal("12.50")), type("price")));
        Instant instant = Instant.parse("2024-05-01T10:15:30Z");
        assertEquals("\"2024-05-01T10:15:30Z\"", new String(codec.encode(instant), StandardCharsets.UTF_8));
        assertEquals(instant, codec.decode(codec.encode(instant), type("instant")));
        assertEquals(LocalDate.of(2024, 5, 1), codec.decode(codec.encode(LocalDate.of(2024, 5, 1)), type("date")));
    }

    @Test
    void typeOf_resolvesTypeVariablesFromTheSubclass() throws Exception {
        Method all = Dao.class.getDeclaredMethod("all");

        JavaType type = codec.typeOf(all.getGenericReturnType(), UserDao.class, Dao.class);

        assertEquals(User.class, type.getContentType().getRawClass());
    }

    @Test
    void decode_null_isNull() throws Exception {
        assertNull(codec.decode("null".getBytes(StandardCharsets.UTF_8), type("user")));
    }

    @Test
    void decode_polymorphicPayload_instantiatesNothingElse() throws Exception {
        byte[] gadget = ("[\"java.net.URL\",\"http://attacker.example/\"]").getBytes(StandardCharsets.UTF_8);

        Object value = codec.decode(gadget, type("anything"));

        assertEquals(List.of("java.net.URL", "http://attacker.example/"), value);
        assertThrows(CodecException.class, () -> codec.decode(gadget, type("user")));
    }

    @Test
    void decode_wrongShapeOrGarbage_isCodecException() {
        assertThrows(CodecException.class, () -> codec.decode("{\"nope\":1}".getBytes(StandardCharsets.UTF_8),
                type("user")));
        assertThrows(CodecException.class, () -> codec.decode(new byte[] {(byte) 0xff, 0x00, 0x12}, type("user")));
        assertThrows(CodecException.class, () -> codec.decode("{\"id\":1} trailing".getBytes(StandardCharsets.UTF_8),
                type("user")));
        assertThrows(CodecException.class, () -> codec.decode("null".getBytes(StandardCharsets.UTF_8),
                type("primitive")));
    }

    @Test
    void encode_cycle_isCodecException() {
        List<Object> cyclic = new java.util.ArrayList<>();
        cyclic.add(cyclic);

        assertThrows(CodecException.class, () -> codec.encode(cyclic));
    }

    @Test
    void encode_loadedLazyProxyAndCollection_areWrittenAsTheEntityAndAPlainList() throws Exception {
        Basket basket = new Basket(new UserProxy(new User(1, "ada", "odd")), new LazyBag(true, "x"));

        assertEquals("{\"items\":[\"x\"],\"owner\":{\"id\":1,\"name\":\"ada\",\"tags\":[\"t1\"],\"team\":\"odd\"}}",
                new String(codec.encode(basket), StandardCharsets.UTF_8));
    }

    @Test
    void encode_unloadedLazyProxy_isLazyValueException_namingWhereItSits() {
        Basket basket = new Basket(new UserProxy(null), new LazyBag(true, "x"));

        LazyValueException e = assertThrows(LazyValueException.class, () -> codec.encode(basket));

        assertEquals("a Hibernate lazy proxy of com.example.fixture.User that is not loaded, at "
                + Basket.class.getName() + "[\"owner\"]", e.getMessage());
    }

    @Test
    void encode_unloadedLazyCollection_isLazyValueException_withoutLoadingIt() {
        Basket basket = new Basket(new UserProxy(new User(1, "ada", "odd")), new LazyBag(false, "x"));

        LazyValueException e = assertThrows(LazyValueException.class, () -> codec.encode(basket));

        assertTrue(e.getMessage().startsWith("a Hibernate lazy collection (" + LazyBag.class.getName()
                + ") that is not loaded, at " + Basket.class.getName() + "[\"items\"]"), e.getMessage());
    }

    /** An entity with a lazy association and a lazy collection. */
    @SuppressWarnings("unused")
    static final class Basket {
        private User owner;
        private List<String> items;

        Basket(User owner, List<String> items) {
            this.owner = owner;
            this.items = items;
        }
    }

    /** Like Hibernate's proxies: a subclass whose own fields stay empty, the entity behind its initializer. */
    static final class UserProxy extends User implements HibernateProxy {
        private final LazyInitializer initializer;

        UserProxy(User loaded) {
            initializer = new LazyInitializer() {
                @Override
                public boolean isUninitialized() {
                    return loaded == null;
                }

                @Override
                public Object getImplementation() {
                    assertTrue(loaded != null, "the codec loaded a lazy proxy");
                    return loaded;
                }
            };
        }

        @Override
        public LazyInitializer getHibernateLazyInitializer() {
            return initializer;
        }
    }

    /** Like Hibernate's persistent bag: reading its elements loads it. */
    static final class LazyBag extends java.util.ArrayList<String> implements PersistentCollection {
        private static final long serialVersionUID = 1L;
        private final boolean loaded;

        LazyBag(boolean loaded, String... elements) {
            super(List.of(elements));
            this.loaded = loaded;
        }

        @Override
        public boolean wasInitialized() {
            return loaded;
        }

        @Override
        public int size() {
            assertTrue(loaded, "the codec loaded a lazy collection");
            return super.size();
        }

        @Override
        public String get(int index) {
            assertTrue(loaded, "the codec loaded a lazy collection");
            return super.get(index);
        }

        @Override
        public java.util.Iterator<String> iterator() {
            assertTrue(loaded, "the codec loaded a lazy collection");
            return super.iterator();
        }
    }

    private JavaType type(String method) throws NoSuchMethodException {
        return codec.typeOf(Shapes.class.getMethod(method).getGenericReturnType());
    }
}
