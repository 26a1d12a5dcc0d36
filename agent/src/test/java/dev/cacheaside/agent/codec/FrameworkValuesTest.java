package dev.cacheaside.agent.codec;

import com.example.fixture.Awkward;
import com.example.fixture.Color;
import com.example.fixture.User;
import com.fasterxml.jackson.databind.JavaType;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedSet;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Slice;
import org.springframework.data.domain.SliceImpl;
import org.springframework.data.domain.Sort;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values of framework, library and JDK types, read back as the method's declared generic return type. */
class FrameworkValuesTest {

    private final JsonCodec codec = new JsonCodec();

    @SuppressWarnings("unused")
    interface Shapes {
        Page<User> page();

        Slice<User> slice();

        PageImpl<User> pageImpl();

        SliceImpl<User> sliceImpl();

        Pageable pageable();

        PageRequest pageRequest();

        Sort sort();

        List<User> users();

        Set<String> strings();

        Set<User> userSet();

        SortedSet<String> sortedStrings();

        Map<String, Integer> counts();

        SortedMap<String, Integer> sortedCounts();

        ImmutableList<User> guavaList();

        ImmutableSet<String> guavaSet();

        ImmutableSortedSet<String> guavaSortedSet();

        ImmutableMap<String, Integer> guavaMap();

        Optional<LocalDateTime> optionalTime();

        Duration duration();

        OffsetDateTime offsetTime();

        Color color();

        Awkward.Money money();

        Reading reading();

        Twins twins();
    }

    /** Only an all-arguments constructor, no annotations; parameter types match the fields one to one. */
    static final class Reading {
        private final String sensor;
        private final double value;
        private final List<Integer> samples;

        Reading(String sensor, double value, List<Integer> samples) {
            this.sensor = sensor;
            this.value = value;
            this.samples = samples;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Reading r && r.sensor.equals(sensor) && r.value == value
                    && r.samples.equals(samples);
        }

        @Override
        public int hashCode() {
            return Objects.hash(sensor, value, samples);
        }
    }

    /** Two fields of one type and no parameter names: which argument is which cannot be told. */
    @SuppressWarnings("unused")
    static final class Twins {
        private final String left;
        private final String right;

        Twins(String left, String right) {
            this.left = left;
            this.right = right;
        }
    }

    private static final List<User> USERS = List.of(new User(1, "ada", "odd"), new User(2, "bob", "even"));

    @Test
    void page_roundTrips_asPageImpl_withPageableAndTotal() throws Exception {
        Page<User> page = new PageImpl<>(USERS, PageRequest.of(1, 2, Sort.by("name").descending()), 10);

        byte[] json = codec.encode(page);
        Object back = codec.decode(json, type("page"));

        assertEquals("{\"content\":[" + userJson(1, "ada", "odd") + "," + userJson(2, "bob", "even") + "],"
                + "\"pageable\":{\"page\":1,\"size\":2,\"sort\":[{\"property\":\"name\",\"direction\":\"DESC\","
                + "\"ignoreCase\":false,\"nullHandling\":\"NATIVE\"}]},\"total\":10}",
                new String(json, StandardCharsets.UTF_8));
        assertInstanceOf(PageImpl.class, back);
        assertEquals(page, back);
        assertInstanceOf(User.class, ((Page<?>) back).getContent().get(0));
        assertEquals(10, ((Page<?>) back).getTotalElements());
        assertEquals(new String(json, StandardCharsets.UTF_8), new String(codec.encode(back), StandardCharsets.UTF_8));
    }

    @Test
    void page_unpaged_roundTrips() throws Exception {
        Page<User> page = new PageImpl<>(USERS);

        Object back = codec.decode(codec.encode(page), type("pageImpl"));

        assertEquals(page, back);
        assertTrue(((Page<?>) back).getPageable().isUnpaged());
    }

    @Test
    void slice_roundTrips_keepingHasNext() throws Exception {
        Slice<User> slice = new SliceImpl<>(USERS, PageRequest.of(0, 2, Sort.by(Sort.Order.asc("id").ignoreCase())), true);

        Object back = codec.decode(codec.encode(slice), type("slice"));
        Object backImpl = codec.decode(codec.encode(slice), type("sliceImpl"));

        assertEquals(slice, back);
        assertEquals(slice, backImpl);
        assertTrue(((Slice<?>) back).hasNext());
    }

    @Test
    void page_hostileValues_areCodecExceptions_orPlainPages() throws Exception {
        byte[] badDirection = ("{\"content\":[],\"pageable\":{\"page\":0,\"size\":2,\"sort\":[{\"property\":\"x\","
                + "\"direction\":\"java.lang.Runtime\"}]},\"total\":0}").getBytes(StandardCharsets.UTF_8);
        byte[] wrongContent = "{\"content\":[\"java.net.URL\"],\"pageable\":null,\"total\":1}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] notAnObject = "[\"org.springframework.data.domain.PageImpl\",{}]".getBytes(StandardCharsets.UTF_8);
        byte[] typeHint = "{\"@class\":\"java.net.URL\",\"content\":[],\"pageable\":null,\"total\":0}"
                .getBytes(StandardCharsets.UTF_8);

        assertEquals(CodecException.Cause.INPUT,
                assertThrows(CodecException.class, () -> codec.decode(badDirection, type("page"))).cause());
        assertThrows(CodecException.class, () -> codec.decode(wrongContent, type("page")));
        assertThrows(CodecException.class, () -> codec.decode(notAnObject, type("page")));
        Object page = codec.decode(typeHint, type("page"));
        assertInstanceOf(PageImpl.class, page);
        assertEquals(0, ((Page<?>) page).getContent().size());
    }

    @Test
    void pageRequestAndSort_roundTrip() throws Exception {
        PageRequest request = PageRequest.of(3, 25, Sort.by(Sort.Order.desc("name").nullsLast(), Sort.Order.asc("id")));

        assertEquals(request, codec.decode(codec.encode(request), type("pageRequest")));
        assertEquals(request, codec.decode(codec.encode(request), type("pageable")));
        assertEquals(request.getSort(), codec.decode(codec.encode(request.getSort()), type("sort")));
        assertEquals(Sort.unsorted(), codec.decode(codec.encode(Sort.unsorted()), type("sort")));
    }

    @Test
    void jdkImmutableCollections_roundTrip() throws Exception {
        assertEquals(USERS, codec.decode(codec.encode(USERS), type("users")));
        assertEquals(Set.of("a", "b", "c"), codec.decode(codec.encode(Set.of("a", "b", "c")), type("strings")));
        assertEquals(Map.of("a", 1, "b", 2), codec.decode(codec.encode(Map.of("a", 1, "b", 2)), type("counts")));
        List<User> unmodifiable = Collections.unmodifiableList(USERS);
        assertEquals(unmodifiable, codec.decode(codec.encode(unmodifiable), type("users")));
        Set<String> unmodifiableSet = Collections.unmodifiableSet(new LinkedHashSet<>(List.of("x", "y")));
        assertEquals(unmodifiableSet, codec.decode(codec.encode(unmodifiableSet), type("strings")));
    }

    @Test
    void guavaImmutables_roundTrip_asTheirOwnTypes() throws Exception {
        ImmutableList<User> list = ImmutableList.copyOf(USERS);
        ImmutableSet<String> set = ImmutableSet.of("z", "a", "m");
        ImmutableSortedSet<String> sorted = ImmutableSortedSet.of("z", "a", "m");
        ImmutableMap<String, Integer> map = ImmutableMap.of("z", 1, "a", 2);

        Object listBack = codec.decode(codec.encode(list), type("guavaList"));
        Object setBack = codec.decode(codec.encode(set), type("guavaSet"));

        assertInstanceOf(ImmutableList.class, listBack);
        assertEquals(list, listBack);
        assertInstanceOf(User.class, ((List<?>) listBack).get(0));
        assertEquals(List.copyOf(set), List.copyOf((Set<?>) setBack));
        assertEquals(sorted, codec.decode(codec.encode(sorted), type("guavaSortedSet")));
        Object mapBack = codec.decode(codec.encode(map), type("guavaMap"));
        assertInstanceOf(ImmutableMap.class, mapBack);
        assertEquals(List.copyOf(map.entrySet()), List.copyOf(((Map<?, ?>) mapBack).entrySet()));
    }

    @Test
    void javaTimeOptionalAndEnums_roundTrip() throws Exception {
        LocalDateTime time = LocalDateTime.of(2024, 5, 1, 10, 15, 30, 123_000_000);
        assertEquals(time, codec.decode(codec.encode(time), codec.contentOf(type("optionalTime"))));
        assertEquals(Duration.ofMinutes(90), codec.decode(codec.encode(Duration.ofMinutes(90)), type("duration")));
        OffsetDateTime offset = OffsetDateTime.of(time, ZoneOffset.ofHours(2));
        assertEquals(offset, codec.decode(codec.encode(offset), type("offsetTime")));
        assertEquals(Color.RED, codec.decode(codec.encode(Color.RED), type("color")));
    }

    @Test
    void allArgumentsConstructor_withoutParameterNames_matchesFieldsByType() throws Exception {
        Reading reading = new Reading("t1", 21.5, List.of(3, 4));

        byte[] json = codec.encode(reading);

        assertEquals("{\"samples\":[3,4],\"sensor\":\"t1\",\"value\":21.5}", new String(json, StandardCharsets.UTF_8));
        assertEquals(reading, codec.decode(json, type("reading")));
        Awkward.Money money = codec.decode(codec.encode(new Awkward.Money(250, "EUR")), type("money")) instanceof
                Awkward.Money m ? m : null;
        assertEquals("250EUR", String.valueOf(money));
    }

    @Test
    void allArgumentsConstructor_compiledWithParameters_matchesFieldsByName(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        // two fields of one type, set in the opposite order: only the parameter names tell them apart
        java.nio.file.Path source = dir.resolve("Named.java");
        java.nio.file.Files.writeString(source, "public final class Named {\n"
                + "  private final String first;\n  private final String second;\n"
                + "  public Named(String second, String first) { this.first = first; this.second = second; }\n"
                + "  public String toString() { return first + \"/\" + second; }\n}\n");
        int status = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-parameters", "-d",
                dir.toString(), source.toString());
        assertEquals(0, status);
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()})) {
            Class<?> named = loader.loadClass("Named");
            Object value = named.getConstructor(String.class, String.class).newInstance("b", "a");

            byte[] json = codec.encode(value);
            Object back = codec.decode(json, codec.typeOf(named));

            assertEquals("{\"first\":\"a\",\"second\":\"b\"}", new String(json, StandardCharsets.UTF_8));
            assertEquals("a/b", back.toString());
        }
    }

    @Test
    void allArgumentsConstructor_ambiguousTypes_isRefusedNamingTheFix() {
        CodecException e = assertThrows(CodecException.class,
                () -> codec.decode("{\"left\":\"a\",\"right\":\"b\"}".getBytes(StandardCharsets.UTF_8), type("twins")));

        assertEquals(CodecException.Cause.NO_CREATOR, e.cause());
        assertTrue(e.fix().contains("-parameters"), e.fix());
    }

    @Test
    void set_readsBackInStoredOrder_sortedSetAndSortedMapSorted_mapInOrder() throws Exception {
        byte[] strings = "[\"z\",\"a\",\"m\",\"b\",\"y\",\"c\",\"x\",\"d\",\"w\",\"e\",\"v\",\"f\",\"u\",\"g\",\"t\",\"h\",\"s\"]"
                .getBytes(StandardCharsets.UTF_8);

        Set<?> set = (Set<?>) codec.decode(strings, type("strings"));
        SortedSet<?> sorted = (SortedSet<?>) codec.decode(strings, type("sortedStrings"));
        Map<?, ?> map = (Map<?, ?>) codec.decode("{\"z\":1,\"a\":2,\"m\":3}".getBytes(StandardCharsets.UTF_8), type("counts"));
        SortedMap<?, ?> sortedMap = (SortedMap<?, ?>) codec.decode("{\"z\":1,\"a\":2,\"m\":3}"
                .getBytes(StandardCharsets.UTF_8), type("sortedCounts"));

        assertEquals(new String(strings, StandardCharsets.UTF_8), new String(codec.encode(set), StandardCharsets.UTF_8));
        assertEquals("[a, b, c, d, e, f, g, h, m, s, t, u, v, w, x, y, z]", sorted.toString());
        assertEquals(List.of("z", "a", "m"), List.copyOf(map.keySet()));
        assertEquals(List.of("a", "m", "z"), List.copyOf(sortedMap.keySet()));
        assertInstanceOf(TreeMap.class, sortedMap);
    }

    @Test
    void set_ofEntities_hitRendersAsTheMiss() throws Exception {
        Set<User> users = new LinkedHashSet<>();
        for (int i = 20; i > 0; i--) {
            users.add(new User(i, "u" + i, "t"));
        }
        byte[] json = codec.encode(users);

        Object back = codec.decode(json, type("userSet"));

        assertEquals(new String(json, StandardCharsets.UTF_8), new String(codec.encode(back), StandardCharsets.UTF_8));
    }

    @Test
    void persistentSet_isWrittenInIterationOrder() throws Exception {
        OrderedBag bag = new OrderedBag();
        for (int i = 30; i > 0; i--) {
            bag.add("e" + i);
        }

        String json = new String(codec.encode(bag), StandardCharsets.UTF_8);

        assertTrue(json.startsWith("[\"e30\",\"e29\",\"e28\""), json);
        assertEquals(json, new String(codec.encode(codec.decode(json.getBytes(StandardCharsets.UTF_8),
                type("strings"))), StandardCharsets.UTF_8));
    }

    /** Like Hibernate's PersistentSet of an {@code @OrderBy} association: a loaded set in query order. */
    static final class OrderedBag extends LinkedHashSet<String>
            implements org.hibernate.collection.spi.PersistentCollection {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean wasInitialized() {
            return true;
        }
    }

    static String userJson(long id, String name, String team) {
        return "{\"id\":" + id + ",\"name\":\"" + name + "\",\"tags\":[\"t" + id + "\"],\"team\":\"" + team + "\"}";
    }

    private JavaType type(String method) throws NoSuchMethodException {
        return codec.typeOf(Shapes.class.getMethod(method).getGenericReturnType());
    }
}
