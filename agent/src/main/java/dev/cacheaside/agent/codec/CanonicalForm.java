package dev.cacheaside.agent.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.CollectionType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/*
 * The form in which the read-back check compares a value with its read-back copy. Equality of two sets
 * does not depend on their order, and a HashSet of entities without equals/hashCode iterates in identity
 * hash order, different in every JVM and for every copy; comparing the stored bytes would turn rules off
 * at random. So the comparison writes each unsorted set marked as such, sorts the JSON of its elements,
 * and compares the trees; lists and arrays keep their order, map entries are sorted by key. This form is
 * never stored.
 */
final class CanonicalForm {

    /** The key under which a set's elements are written; no Java field can have this name. */
    static final String SET = "\u0000set";

    private CanonicalForm() {
    }

    /** The tree with every marked set replaced by the array of its canonical elements, sorted. */
    static JsonNode of(JsonNode node) {
        if (node.isObject()) {
            if (node.size() == 1 && node.has(SET) && node.get(SET).isArray()) {
                List<JsonNode> elements = new ArrayList<>();
                for (JsonNode element : node.get(SET)) {
                    elements.add(of(element));
                }
                elements.sort((a, b) -> a.toString().compareTo(b.toString()));
                ArrayNode sorted = JsonNodeFactory.instance.arrayNode();
                sorted.addAll(elements);
                return sorted;
            }
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), of(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : node) {
                copy.add(of(element));
            }
            return copy;
        }
        return node;
    }

    /** Writes unsorted sets as {@code {SET: [...]}}. */
    static final class MarkedSets extends BeanSerializerModifier {
        private static final long serialVersionUID = 1L;

        @Override
        public JsonSerializer<?> modifyCollectionSerializer(SerializationConfig config, CollectionType type,
                                                            BeanDescription description, JsonSerializer<?> serializer) {
            Class<?> raw = type.getRawClass();
            return Set.class.isAssignableFrom(raw) && !SortedSet.class.isAssignableFrom(raw)
                    ? new MarkedSet(serializer) : serializer;
        }
    }

    private static final class MarkedSet extends StdSerializer<Object> implements ContextualSerializer,
            ResolvableSerializer {
        private static final long serialVersionUID = 1L;

        private final JsonSerializer<Object> set;

        @SuppressWarnings("unchecked")
        MarkedSet(JsonSerializer<?> set) {
            super(Object.class);
            this.set = (JsonSerializer<Object>) set;
        }

        @Override
        public void serialize(Object value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeStartObject();
            generator.writeFieldName(SET);
            set.serialize(value, generator, provider);
            generator.writeEndObject();
        }

        @Override
        public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
                throws JsonMappingException {
            if (!(set instanceof ContextualSerializer)) {
                return this;
            }
            JsonSerializer<?> contextual = ((ContextualSerializer) set).createContextual(provider, property);
            return contextual == set ? this : new MarkedSet(contextual);
        }

        @Override
        public void resolve(SerializerProvider provider) throws JsonMappingException {
            if (set instanceof ResolvableSerializer) {
                ((ResolvableSerializer) set).resolve(provider);
            }
        }
    }
}
