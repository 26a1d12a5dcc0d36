package dev.cacheaside.agent.codec;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.lang.reflect.Type;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's Jackson, relocated so that it never meets the application's. It works on fields, not on
 * getters, setters or annotations: the application's Jackson annotations belong to the application's
 * Jackson and mean nothing to ours, while fields are what a cached object's state is. A class without a
 * no-argument constructor is built through the constructor that sets its fields ({@link FieldsIntrospector}).
 *
 * Object graphs. A value is stored as its plain JSON, so that people and other services can read it. Only
 * when writing it fails on a cycle (an entity whose children point back at it, as JPA's bidirectional
 * associations do) is it written in the object-graph form ({@link ObjectGraphs}): an object of an
 * application class that the value reaches more than once carries {@code "@id": n} (numbered 1, 2, ... in
 * the order written) where it is first written, and is just {@code n} everywhere else; all other objects
 * are written as in plain JSON. Reading tries the plain form first and the object-graph form when the JSON
 * holds an {@code "@id"}, which restores shared and back-references as the same objects. No class name is
 * ever read from the JSON: the declared type alone decides what is built.
 */
public final class JsonCodec {

    private static final byte[] ID_PROPERTY = ("\"" + FieldsIntrospector.ID_PROPERTY + "\"")
            .getBytes(StandardCharsets.UTF_8);

    private final ObjectMapper mapper;
    private final ObjectMapper graphMapper;
    private final ObjectWriter graphWriter;
    private final ObjectMapper canonicalMapper;
    private final ObjectWriter digestWriter;
    private final ObjectWriter canonicalWriter;
    private final ObjectWriter canonicalGraphWriter;
    private final ConcurrentHashMap<JavaType, ObjectReader> readers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<JavaType, ObjectReader> graphReaders = new ConcurrentHashMap<>();

    private volatile boolean warmed;

    public JsonCodec() {
        // a type cache of its own, not Jackson's static one, so that the classes this codec has seen are
        // released with it (the agent keeps one codec per class loader)
        TypeFactory types = TypeFactory.createDefaultInstance();
        this.mapper = build(Use.STORE, types);
        this.graphMapper = build(Use.GRAPH_READ, types);
        this.canonicalMapper = build(Use.CANONICAL, types);
        this.graphWriter = build(Use.GRAPH_WRITE, types).writer();
        // a digest must not depend on a map's iteration order; a stored value keeps it
        this.digestWriter = build(Use.DIGEST, types).writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        this.canonicalWriter = canonicalMapper.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        this.canonicalGraphWriter = graphWriter.with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    /**
     * Whether values declared as this interface or abstract class are read all the same: Spring Data's page
     * types, built through their public factories. {@code check} asks, so that it refuses only what the codec
     * refuses.
     */
    public static boolean readsAbstractType(String name) {
        return SpringDataValues.reads(name);
    }

    /** What a mapper is for; all share one configuration and differ only in what this enables. */
    private enum Use {
        /** Plain JSON, written and read. */
        STORE,
        /** The object-graph form, written. */
        GRAPH_WRITE,
        /** The object-graph form, read: every application class accepts an object id. */
        GRAPH_READ,
        /** The read-back check's comparison form, never stored. */
        CANONICAL,
        /** Key digests of arguments, never read: a Class argument is written as its name. */
        DIGEST
    }

    private static ObjectMapper build(Use use, TypeFactory types) {
        JsonMapper.Builder builder = JsonMapper.builder()
                .typeFactory(types)
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("lazy-associations").setSerializerModifier(new LazyAssociations()))
                .addModule(new ValueTypes(use != Use.DIGEST))
                // reads no annotations: answers constructors and object ids from the classes' shape
                .annotationIntrospector(new FieldsIntrospector(use == Use.GRAPH_READ))
                .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .visibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
                // stable property order, so that digests of arguments do not change between runs
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        if (use == Use.CANONICAL) {
            builder.addModule(new SimpleModule("canonical-sets").setSerializerModifier(new CanonicalForm.MarkedSets()));
        }
        if (use == Use.GRAPH_WRITE) {
            builder.addModule(new SimpleModule("object-graphs").setSerializerModifier(new ObjectGraphs()));
        }
        return builder.build();
    }

    /** The Jackson type of a reflected generic type, as seen from the class that declares it. */
    public JavaType typeOf(Type type, Class<?> seenFrom, Class<?> declaringClass) {
        TypeFactory types = mapper.getTypeFactory();
        if (seenFrom == null || seenFrom == declaringClass) {
            return types.constructType(type);
        }
        JavaType owner = types.constructType(seenFrom).findSuperType(declaringClass);
        return owner == null ? types.constructType(type) : types.resolveMemberType(type, owner.getBindings());
    }

    public JavaType typeOf(Type type) {
        return mapper.getTypeFactory().constructType(type);
    }

    /** The type's first type argument, or Object when it has none. */
    public JavaType contentOf(JavaType type) {
        JavaType content = type.containedType(0);
        return content == null ? mapper.getTypeFactory().constructType(Object.class) : content;
    }

    /**
     * A reflective type (Class, ClassLoader, Thread, java.lang.reflect ...) that values of the declared type
     * could hold, with the field where it sits; null when there is none. Such values are never cached.
     */
    public String refusedTypeIn(JavaType type) {
        return ReflectiveTypes.findIn(type, mapper.getTypeFactory());
    }

    /**
     * Runs a sample bean through what a first call does (write, read back, compare), so that the first call
     * of the application does not pay for loading and compiling Jackson's machinery and building this mapper's
     * shared parts. A failure only means nothing was warmed.
     */
    public void warmUp() {
        if (warmed) {
            return;
        }
        warmed = true;
        try {
            WarmUpSample sample = WarmUpSample.filled();
            byte[] json = encode(sample);
            sameValue(sample, decode(json, typeOf(WarmUpSample.class)));
        } catch (CodecException | RuntimeException ignored) {
            // the first call does the same work and reports what fails
        }
    }

    /** The value's plain JSON, or its object-graph form when it contains a cycle. */
    public byte[] encode(Object value) throws CodecException {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (LazyAssociations.NotLoadedException e) {
            throw lazy(e);
        } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
            if (CodecFailures.isNesting(e) && CodecFailures.isCycle(e)) {
                return encodeGraph(value);
            }
            throw writeFailure(value, e);
        }
    }

    private byte[] encodeGraph(Object value) throws CodecException {
        try {
            return writeGraph(graphWriter, value);
        } catch (LazyAssociations.NotLoadedException e) {
            throw lazy(e);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw writeFailure(value, e);
        }
    }

    /** JSON for a key digest: as {@link #encode}, with map entries sorted by key. */
    public byte[] encodeForDigest(Object value) throws CodecException {
        try {
            return digestWriter.writeValueAsBytes(value);
        } catch (LazyAssociations.NotLoadedException e) {
            throw lazy(e);
        } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
            throw writeFailure(value, e);
        }
    }

    public Object decode(byte[] json, JavaType type) throws CodecException {
        try {
            return readers.computeIfAbsent(type, mapper::readerFor).readValue(json);
        } catch (IOException | RuntimeException e) {
            Throwable failure = e;
            if (contains(json, ID_PROPERTY)) {
                try {
                    return graphReaders.computeIfAbsent(type, graphMapper::readerFor).readValue(json);
                } catch (IOException | RuntimeException graphFailure) {
                    failure = graphFailure;
                }
            }
            throw new CodecException(CodecFailures.causeOfRead(failure), "cannot read the stored JSON as "
                    + type.toCanonical() + ": " + CodecFailures.describe(failure), failure);
        }
    }

    /**
     * Whether a value read back from its JSON is the value written, as far as JSON can tell: sets compare
     * regardless of order, everything else in order ({@link CanonicalForm}). Deterministic: it does not
     * depend on the iteration order of a HashSet.
     */
    public boolean sameValue(Object original, Object back) throws CodecException {
        if (Arrays.equals(encode(original), encode(back))) {
            return true; // the same JSON; also a set declared as a Collection, which reads back as a list
        }
        byte[] left;
        byte[] right;
        try {
            left = canonicalWriter.writeValueAsBytes(original);
            right = canonicalWriter.writeValueAsBytes(back);
        } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
            if (!CodecFailures.isNesting(e)) {
                throw writeFailure(original, e);
            }
            // a cycle: the read-back copy keeps the stored order of every set, so the graph forms compare
            try {
                return Arrays.equals(writeGraph(canonicalGraphWriter, original), writeGraph(canonicalGraphWriter, back));
            } catch (IOException | RuntimeException | StackOverflowError graphFailure) {
                throw writeFailure(original, graphFailure);
            }
        }
        if (Arrays.equals(left, right)) {
            return true;
        }
        try {
            JsonNode leftTree = CanonicalForm.of(mapper.readTree(left));
            JsonNode rightTree = CanonicalForm.of(mapper.readTree(right));
            return leftTree.equals(rightTree);
        } catch (IOException e) {
            throw new CodecException(CodecException.Cause.OTHER, "cannot compare the read-back value: "
                    + CodecFailures.describe(e), e);
        }
    }

    /** The object-graph form: a first pass counts the objects reached twice, the second writes. */
    private static byte[] writeGraph(ObjectWriter writer, Object value) throws IOException {
        ObjectGraphs.Walk walk = new ObjectGraphs.Walk();
        ObjectWriter walking = writer.withAttribute(ObjectGraphs.WALK, walk);
        walking.writeValue(new OutputStream() {
            @Override
            public void write(int b) {
                // the counting pass writes nowhere
            }

            @Override
            public void write(byte[] b, int off, int len) {
                // the counting pass writes nowhere
            }
        }, value);
        walk.countingDone();
        return walking.writeValueAsBytes(value);
    }

    private static LazyValueException lazy(LazyAssociations.NotLoadedException e) {
        return new LazyValueException(e.getOriginalMessage(), CodecFailures.shortPath(e.getPath()), e);
    }

    private static CodecException writeFailure(Object value, Throwable e) {
        return new CodecException(CodecFailures.causeOfWrite(e), "cannot write " + typeName(value) + " as JSON: "
                + CodecFailures.describe(e), e);
    }

    private static boolean contains(byte[] text, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= text.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (text[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }
}
