package dev.cacheaside.agent.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.deser.KeyDeserializers;
import com.fasterxml.jackson.databind.ser.Serializers;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.TypeFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/*
 * Types that name code rather than hold data: Class, ClassLoader, Thread, java.lang.reflect and
 * java.lang.invoke objects and the like. Jackson reads a Class from its name with Class.forName, which
 * runs the named class's static initialiser: a value planted in Redis could initialise any class on the
 * application's class path. So they are refused both ways, before any input is read, and a rule whose
 * declared return type contains one is refused when it binds (JsonCodec#refusedTypeIn).
 */
final class ReflectiveTypes {

    private static final Set<String> NAMES = new HashSet<>(Arrays.asList("java.lang.Class", "java.lang.ClassLoader",
            "java.lang.Thread", "java.lang.ThreadGroup", "java.lang.Runtime", "java.lang.Process",
            "java.lang.ProcessBuilder", "java.lang.Module", "java.lang.ModuleLayer", "java.lang.Package",
            "java.lang.StackTraceElement", "java.security.ProtectionDomain", "java.security.CodeSource"));

    private static final int MAX_CLASSES = 500;

    private ReflectiveTypes() {
    }

    /** A reflective type, or a subclass of one (a class loader, a thread). */
    static boolean isRefused(Class<?> type) {
        String name = type.getName();
        if ((name.startsWith("java.lang.reflect.") && !name.equals("java.lang.reflect.Proxy"))
                || name.startsWith("java.lang.invoke.")) {
            return true;
        }
        for (Class<?> level = type; level != null; level = level.getSuperclass()) {
            if (NAMES.contains(level.getName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first reflective type the declared type contains, as a type argument, an array element or a
     * field of a class it is written from (transitively), with where it sits; null when there is none.
     */
    static String findIn(JavaType type, TypeFactory types) {
        return findIn(type, null, types, Collections.newSetFromMap(new java.util.IdentityHashMap<Class<?>, Boolean>()));
    }

    private static String findIn(JavaType type, String where, TypeFactory types, Set<Class<?>> seen) {
        if (type == null) {
            return null;
        }
        Class<?> raw = type.getRawClass();
        if (isRefused(raw)) {
            return where == null ? raw.getName() : raw.getName() + " (field " + where + ")";
        }
        for (int i = 0; i < type.containedTypeCount(); i++) {
            String found = findIn(type.containedType(i), where, types, seen);
            if (found != null) {
                return found;
            }
        }
        if (type.isArrayType()) {
            return findIn(type.getContentType(), where, types, seen);
        }
        if (!FieldsIntrospector.isBean(raw) || seen.size() >= MAX_CLASSES || !seen.add(raw)) {
            return null;
        }
        try {
            for (Class<?> level = raw; level != null && level != Object.class; level = level.getSuperclass()) {
                for (Field field : level.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers)) {
                        continue;
                    }
                    JavaType fieldType = types.resolveMemberType(field.getGenericType(), type.getBindings());
                    String found = findIn(fieldType, level.getSimpleName() + "." + field.getName(), types, seen);
                    if (found != null) {
                        return found;
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            return null; // a field type that does not resolve: the codec reports it when it meets a value
        }
        return null;
    }

    /** A reflective type met while writing or reading. */
    static final class RefusedException extends JsonMappingException {
        private static final long serialVersionUID = 1L;

        RefusedException(JsonGenerator generator, String message) {
            super(generator, message);
        }

        RefusedException(JsonParser parser, String message) {
            super(parser, message);
        }
    }

    private static String refusal(Class<?> type) {
        return "a value of " + type.getName() + ", a reflective type, which the agent never caches";
    }

    static final class Refusing extends Serializers.Base {
        @Override
        public JsonSerializer<?> findSerializer(SerializationConfig config, JavaType type, BeanDescription description) {
            return isRefused(type.getRawClass()) ? new RefusingSerializer() : null;
        }
    }

    static final class RefusingSerializer extends StdSerializer<Object> {
        private static final long serialVersionUID = 1L;

        RefusingSerializer() {
            super(Object.class);
        }

        @Override
        public void serialize(Object value, JsonGenerator generator, SerializerProvider provider)
                throws JsonMappingException {
            throw new RefusedException(generator, refusal(value.getClass()));
        }
    }

    static final class RefusingDeserializers extends Deserializers.Base {
        @Override
        public JsonDeserializer<?> findBeanDeserializer(JavaType type, DeserializationConfig config,
                                                        BeanDescription description) {
            return isRefused(type.getRawClass()) ? new RefusingDeserializer(type.getRawClass()) : null;
        }
    }

    static final class RefusingKeyDeserializers implements KeyDeserializers {
        @Override
        public KeyDeserializer findKeyDeserializer(JavaType type, DeserializationConfig config,
                                                   BeanDescription description) {
            if (!isRefused(type.getRawClass())) {
                return null;
            }
            final Class<?> raw = type.getRawClass();
            return new KeyDeserializer() {
                @Override
                public Object deserializeKey(String key, DeserializationContext context) throws JsonMappingException {
                    throw new RefusedException(context.getParser(), refusal(raw));
                }
            };
        }
    }

    /** Fails before reading any input, so no class name from Redis is ever looked up. */
    static final class RefusingDeserializer extends JsonDeserializer<Object> {
        private final Class<?> type;

        RefusingDeserializer(Class<?> type) {
            this.type = type;
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws JsonMappingException {
            throw new RefusedException(parser, refusal(type));
        }

        @Override
        public Object getNullValue(DeserializationContext context) {
            return null;
        }
    }
}
