package dev.cacheaside.agent.codec;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
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
import java.lang.reflect.Type;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's Jackson, relocated so that it never meets the application's. It works on fields, not on
 * getters, setters or annotations: the application's Jackson annotations belong to the application's
 * Jackson and mean nothing to ours, while fields are what a cached object's state is.
 */
public final class JsonCodec {

    private final ObjectMapper mapper;
    private final ObjectWriter digestWriter;
    private final ConcurrentHashMap<JavaType, ObjectReader> readers = new ConcurrentHashMap<>();

    public JsonCodec() {
        this.mapper = JsonMapper.builder()
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("lazy-associations").setSerializerModifier(new LazyAssociations()))
                // Jackson's default for a declared Set is a HashSet: an ORM's ordered set (@OrderBy) would come
                // back reordered, and a hit would render differently from the miss
                .addModule(new SimpleModule("ordered-sets").addAbstractTypeMapping(Set.class, LinkedHashSet.class))
                .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .visibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
                .disable(MapperFeature.USE_ANNOTATIONS)
                // stable property order, so that digests of arguments do not change between runs
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
        // a digest must not depend on a map's iteration order; a stored value keeps it
        this.digestWriter = mapper.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
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

    public byte[] encode(Object value) throws CodecException {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (LazyAssociations.NotLoadedException e) {
            throw new LazyValueException(e.getOriginalMessage(), e.getPathReference(), e);
        } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
            throw new CodecException("cannot write " + typeName(value) + " as JSON: " + firstLine(e), e);
        }
    }

    /** JSON for a key digest: as {@link #encode}, with map entries sorted by key. */
    public byte[] encodeForDigest(Object value) throws CodecException {
        try {
            return digestWriter.writeValueAsBytes(value);
        } catch (LazyAssociations.NotLoadedException e) {
            throw new LazyValueException(e.getOriginalMessage(), e.getPathReference(), e);
        } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
            throw new CodecException("cannot write " + typeName(value) + " as JSON: " + firstLine(e), e);
        }
    }

    public Object decode(byte[] json, JavaType type) throws CodecException {
        try {
            return readers.computeIfAbsent(type, mapper::readerFor).readValue(json);
        } catch (IOException | RuntimeException e) {
            throw new CodecException("cannot read the stored JSON as " + type.toCanonical() + ": " + firstLine(e), e);
        }
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
