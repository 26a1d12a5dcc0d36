package dev.cacheaside.agent.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.ser.Serializers;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/*
 * Spring Data's page types, which have no no-argument constructor and whose fields are implementation
 * details that change between versions. The agent does not depend on Spring: the types are recognised by
 * name and called reflectively through their public API, loaded from the class loader of the method's
 * declared return type, so only classes that loader sees and that fit the declared type are built.
 *
 *   Page      {"content":[...],"pageable":P,"total":n}       rebuilt with new PageImpl(content, P, total)
 *   Slice     {"content":[...],"pageable":P,"hasNext":b}     rebuilt with new SliceImpl(content, P, b)
 *   Pageable  {"page":n,"size":n,"sort":S}, null when unpaged; rebuilt with PageRequest.of(page, size, S)
 *   Sort      [{"property":p,"direction":"ASC","ignoreCase":b,"nullHandling":"NATIVE"}, ...]
 */
final class SpringDataValues {

    private static final String DOMAIN = "org.springframework.data.domain.";
    private static final String PAGE = DOMAIN + "Page";
    private static final String SLICE = DOMAIN + "Slice";
    private static final String PAGEABLE = DOMAIN + "Pageable";
    private static final String SORT = DOMAIN + "Sort";

    /** The Spring Data types read by name, declared interfaces and classes without a no-argument constructor. */
    private static final Set<String> READ = new HashSet<>(Arrays.asList(
            "Page", "PageImpl", "Slice", "SliceImpl", "Pageable", "PageRequest", "AbstractPageRequest", "Sort"));

    private SpringDataValues() {
    }

    /** Whether a value declared as the type of this name is read by name here. */
    static boolean reads(String name) {
        return name.startsWith(DOMAIN) && READ.contains(name.substring(DOMAIN.length()));
    }

    /** The class or interface of that name among the type and its supertypes, or null. */
    static Class<?> supertype(Class<?> type, String name) {
        if (type == null) {
            return null;
        }
        if (type.getName().equals(name)) {
            return type;
        }
        for (Class<?> anInterface : type.getInterfaces()) {
            Class<?> found = supertype(anInterface, name);
            if (found != null) {
                return found;
            }
        }
        return supertype(type.getSuperclass(), name);
    }

    private static Object call(Class<?> owner, String method, Object target) throws IOException {
        try {
            return owner.getMethod(method).invoke(target);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IOException("cannot call " + owner.getName() + "." + method + ": " + e, e);
        } catch (InvocationTargetException e) {
            throw new IOException("cannot call " + owner.getName() + "." + method + ": " + e.getCause(), e.getCause());
        }
    }

    static final class Writers extends Serializers.Base {
        @Override
        public JsonSerializer<?> findSerializer(SerializationConfig config, JavaType type, BeanDescription description) {
            Class<?> raw = type.getRawClass();
            if (!raw.getName().startsWith("org.springframework.data.") && supertype(raw, SLICE) == null
                    && supertype(raw, PAGEABLE) == null) {
                return null;
            }
            if (supertype(raw, SLICE) != null) {
                return new ChunkWriter(supertype(raw, SLICE), supertype(raw, PAGE));
            }
            if (supertype(raw, PAGEABLE) != null) {
                return new PageableWriter(supertype(raw, PAGEABLE));
            }
            if (raw.getName().equals(SORT)) {
                return new SortWriter();
            }
            return null;
        }
    }

    private static final class ChunkWriter extends StdSerializer<Object> {
        private static final long serialVersionUID = 1L;
        private final transient Class<?> slice;
        private final transient Class<?> page;

        ChunkWriter(Class<?> slice, Class<?> page) {
            super(Object.class);
            this.slice = slice;
            this.page = page;
        }

        @Override
        public void serialize(Object value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeStartObject(value);
            provider.defaultSerializeField("content", call(slice, "getContent", value), generator);
            generator.writeFieldName("pageable");
            writePageable(call(slice, "getPageable", value), generator);
            if (page != null) {
                generator.writeNumberField("total", ((Number) call(page, "getTotalElements", value)).longValue());
            } else {
                generator.writeBooleanField("hasNext", (Boolean) call(slice, "hasNext", value));
            }
            generator.writeEndObject();
        }
    }

    private static final class PageableWriter extends StdSerializer<Object> {
        private static final long serialVersionUID = 1L;

        PageableWriter(Class<?> pageable) {
            super(Object.class);
        }

        @Override
        public void serialize(Object value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            writePageable(value, generator);
        }
    }

    private static final class SortWriter extends StdSerializer<Object> {
        private static final long serialVersionUID = 1L;

        SortWriter() {
            super(Object.class);
        }

        @Override
        public void serialize(Object value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            writeSort(value, generator);
        }
    }

    static void writePageable(Object pageable, JsonGenerator generator) throws IOException {
        Class<?> type = pageable == null ? null : supertype(pageable.getClass(), PAGEABLE);
        if (type == null || !Boolean.TRUE.equals(call(type, "isPaged", pageable))) {
            generator.writeNull();
            return;
        }
        generator.writeStartObject();
        generator.writeNumberField("page", ((Number) call(type, "getPageNumber", pageable)).intValue());
        generator.writeNumberField("size", ((Number) call(type, "getPageSize", pageable)).intValue());
        generator.writeFieldName("sort");
        writeSort(call(type, "getSort", pageable), generator);
        generator.writeEndObject();
    }

    static void writeSort(Object sort, JsonGenerator generator) throws IOException {
        generator.writeStartArray();
        if (sort != null) {
            for (Object order : (Iterable<?>) sort) {
                Class<?> type = order.getClass();
                generator.writeStartObject();
                generator.writeStringField("property", (String) call(type, "getProperty", order));
                generator.writeStringField("direction", String.valueOf(call(type, "getDirection", order)));
                generator.writeBooleanField("ignoreCase", (Boolean) call(type, "isIgnoreCase", order));
                generator.writeStringField("nullHandling", String.valueOf(call(type, "getNullHandling", order)));
                generator.writeEndObject();
            }
        }
        generator.writeEndArray();
    }

    static final class Readers extends Deserializers.Base {
        @Override
        public JsonDeserializer<?> findBeanDeserializer(JavaType type, DeserializationConfig config,
                                                        BeanDescription description) {
            String name = type.getRawClass().getName();
            return reads(name) ? new Reader(type, name.substring(DOMAIN.length())) : null;
        }
    }

    /** Builds one of the page types from its JSON with the public factories of the declared type's loader. */
    private static final class Reader extends JsonDeserializer<Object> {
        private final JavaType type;
        private final String kind;

        Reader(JavaType type, String kind) {
            this.type = type;
            this.kind = kind;
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode tree = context.readTree(parser);
            try {
                switch (kind) {
                    case "Page":
                    case "PageImpl":
                        return chunk(tree, context, "PageImpl", "total");
                    case "Slice":
                    case "SliceImpl":
                        return chunk(tree, context, "SliceImpl", "hasNext");
                    case "Sort":
                        return sort(tree, context);
                    default:
                        return pageable(tree, context);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
                return context.reportInputMismatch(type, "cannot build %s from the stored JSON: %s",
                        type.getRawClass().getName(), String.valueOf(cause));
            }
        }

        @Override
        public Object getNullValue(DeserializationContext context) {
            if (kind.equals("Pageable")) {
                try {
                    return load(PAGEABLE).getMethod("unpaged").invoke(null);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            }
            return null;
        }

        /** A class of Spring Data's domain package, as the declared type's own loader sees it. */
        private Class<?> load(String name) throws ClassNotFoundException {
            return Class.forName(name, false, type.getRawClass().getClassLoader());
        }

        private Object chunk(JsonNode tree, DeserializationContext context, String implementation, String extra)
                throws IOException, ReflectiveOperationException {
            Class<?> built = load(DOMAIN + implementation);
            if (!type.getRawClass().isAssignableFrom(built) || !tree.isObject()) {
                return context.reportInputMismatch(type, "expected a JSON object for %s", type.getRawClass().getName());
            }
            JavaType element = type.containedTypeCount() > 0 ? type.containedType(0)
                    : context.getTypeFactory().constructType(Object.class);
            JavaType listType = context.getTypeFactory().constructCollectionType(ArrayList.class, element);
            JsonNode contentNode = tree.get("content");
            List<?> content = contentNode == null || contentNode.isNull() ? new ArrayList<>()
                    : (List<?>) context.readTreeAsValue(contentNode, listType);
            Object pageable = pageable(tree.get("pageable"), context);
            Class<?> pageableType = load(PAGEABLE);
            JsonNode extraNode = tree.get(extra);
            if (extra.equals("total")) {
                long total = extraNode == null || !extraNode.canConvertToLong() ? content.size() : extraNode.asLong();
                return built.getConstructor(List.class, pageableType, long.class).newInstance(content, pageable, total);
            }
            boolean hasNext = extraNode != null && extraNode.asBoolean();
            return built.getConstructor(List.class, pageableType, boolean.class).newInstance(content, pageable, hasNext);
        }

        private Object pageable(JsonNode tree, DeserializationContext context)
                throws IOException, ReflectiveOperationException {
            if (tree == null || tree.isNull()) {
                return load(PAGEABLE).getMethod("unpaged").invoke(null);
            }
            Class<?> request = load(DOMAIN + "PageRequest");
            if (!tree.isObject() || !tree.path("page").canConvertToInt() || !tree.path("size").canConvertToInt()) {
                return context.reportInputMismatch(type, "expected {page, size, sort} for a Pageable");
            }
            Object sort = sort(tree.get("sort"), context);
            return request.getMethod("of", int.class, int.class, load(SORT))
                    .invoke(null, tree.get("page").asInt(), tree.get("size").asInt(), sort);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private Object sort(JsonNode tree, DeserializationContext context)
                throws IOException, ReflectiveOperationException {
            Class<?> sortType = load(SORT);
            if (tree == null || tree.isNull()) {
                return sortType.getMethod("unsorted").invoke(null);
            }
            if (!tree.isArray()) {
                return context.reportInputMismatch(type, "expected an array of orders for a Sort");
            }
            Class<?> orderType = load(SORT + "$Order");
            Class direction = load(SORT + "$Direction");
            Class nullHandling = load(SORT + "$NullHandling");
            List<Object> orders = new ArrayList<>();
            for (JsonNode node : tree) {
                JsonNode property = node.get("property");
                if (property == null || !property.isTextual()) {
                    return context.reportInputMismatch(type, "a Sort order without a property");
                }
                Object order = orderType.getMethod("by", String.class).invoke(null, property.asText());
                if (node.hasNonNull("direction")) {
                    order = orderType.getMethod("with", direction).invoke(order,
                            Enum.valueOf(direction, node.get("direction").asText()));
                }
                if (node.path("ignoreCase").asBoolean(false)) {
                    order = orderType.getMethod("ignoreCase").invoke(order);
                }
                if (node.hasNonNull("nullHandling")) {
                    order = orderType.getMethod("with", nullHandling).invoke(order,
                            Enum.valueOf(nullHandling, node.get("nullHandling").asText()));
                }
                orders.add(order);
            }
            return sortType.getMethod("by", List.class).invoke(null, orders);
        }
    }
}
