package dev.cacheaside.agent.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.NameTransformer;

import java.io.IOException;
import java.util.IdentityHashMap;

/*
 * The write side of the object-graph form (see JsonCodec): a value is written twice. The first pass
 * counts how often each object of an application class is reached, descending into each once, and
 * writes nowhere; the second writes the JSON, where an object reached more than once carries "@id": n
 * the first time (n = 1, 2, ... in the order written) and is just n every later time, and every other
 * object is written as in plain JSON, except that an object built through a constructor with arguments
 * (a record, a class without a no-argument constructor) always carries its id: Jackson's reading of such
 * classes in the object-graph form requires one. Both passes walk the value in the same order, so the counts of the
 * first pass name exactly the objects the second meets twice. The read side is Jackson's own object-id
 * support (FieldsIntrospector#findObjectIdInfo), which accepts objects with and without an id.
 */
final class ObjectGraphs extends BeanSerializerModifier {

    private static final long serialVersionUID = 1L;

    /** The serializer attribute that holds a write's {@link Walk}; absent, beans are written plainly. */
    static final String WALK = "cache-aside.object-graph";

    /** One write of one value: the counts of the first pass, the ids given out in the second. */
    static final class Walk {
        private final IdentityHashMap<Object, Integer> reached = new IdentityHashMap<>();
        private final IdentityHashMap<Object, Integer> ids = new IdentityHashMap<>();
        private boolean counting = true;
        private int lastId;

        void countingDone() {
            counting = false;
        }
    }

    @Override
    public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription description,
                                              JsonSerializer<?> serializer) {
        return FieldsIntrospector.isBean(description.getBeanClass()) && serializer instanceof BeanSerializerBase
                ? new Shared(serializer, FieldsIntrospector.builtByConstructor(description.getBeanClass())) : serializer;
    }

    private static final class Shared extends StdSerializer<Object> implements ContextualSerializer,
            ResolvableSerializer {
        private static final long serialVersionUID = 1L;

        private final JsonSerializer<Object> bean;
        private final boolean alwaysId;
        private transient volatile JsonSerializer<Object> fieldsOnly;

        @SuppressWarnings("unchecked")
        Shared(JsonSerializer<?> bean, boolean alwaysId) {
            super(Object.class);
            this.bean = (JsonSerializer<Object>) bean;
            this.alwaysId = alwaysId;
        }

        @Override
        public void serialize(Object value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            Walk walk = (Walk) provider.getAttribute(WALK);
            if (walk == null) {
                bean.serialize(value, generator, provider);
                return;
            }
            Integer reached = walk.reached.get(value);
            if (walk.counting) {
                walk.reached.put(value, reached == null ? 1 : reached + 1);
                if (reached == null) {
                    bean.serialize(value, generator, provider);
                } else {
                    generator.writeNumber(0);
                }
                return;
            }
            if (!alwaysId && (reached == null || reached < 2)) {
                bean.serialize(value, generator, provider);
                return;
            }
            Integer id = walk.ids.get(value);
            if (id != null) {
                generator.writeNumber(id);
                return;
            }
            id = ++walk.lastId;
            walk.ids.put(value, id);
            generator.writeStartObject(value);
            generator.writeNumberField(FieldsIntrospector.ID_PROPERTY, id);
            fieldsOnly().serialize(value, generator, provider);
            generator.writeEndObject();
        }

        /** The bean's serializer without its braces, after which nothing else is written. */
        private JsonSerializer<Object> fieldsOnly() {
            JsonSerializer<Object> fields = fieldsOnly;
            if (fields == null) {
                fields = bean.unwrappingSerializer(NameTransformer.NOP);
                fieldsOnly = fields;
            }
            return fields;
        }

        @Override
        public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
                throws JsonMappingException {
            if (!(bean instanceof ContextualSerializer)) {
                return this;
            }
            JsonSerializer<?> contextual = ((ContextualSerializer) bean).createContextual(provider, property);
            return contextual == bean ? this : new Shared(contextual, alwaysId);
        }

        @Override
        public void resolve(SerializerProvider provider) throws JsonMappingException {
            if (bean instanceof ResolvableSerializer) {
                ((ResolvableSerializer) bean).resolve(provider);
            }
        }
    }
}
