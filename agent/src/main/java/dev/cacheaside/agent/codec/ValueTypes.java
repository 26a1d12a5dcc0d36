package dev.cacheaside.agent.codec;

import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.ValueInstantiators;
import com.fasterxml.jackson.databind.deser.std.StdDelegatingDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.module.SimpleAbstractTypeResolver;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.MapType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.Converter;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/*
 * What the codec reads beyond Jackson's defaults, always as the declared type and never by a name found
 * in the JSON:
 *  - sets and maps keep the stored order: a declared Set, HashSet, Map or HashMap is built as a
 *    LinkedHashSet or LinkedHashMap (SortedSet and SortedMap stay sorted), so a hit iterates, and renders,
 *    as the miss that stored it;
 *  - a declared collection or map type that cannot be instantiated but has a public static copyOf
 *    (Guava's ImmutableList, ImmutableSet, ImmutableSortedSet, ImmutableMap, and libraries built alike)
 *    is read as a mutable collection of the same element type and handed to copyOf;
 *  - Spring Data's page types (SpringDataValues) and the refusal of reflective types (ReflectiveTypes).
 */
final class ValueTypes extends Module {

    private final boolean refuseReflectiveWrites;

    /** {@code refuseReflectiveWrites} false only for key digests, which are never read back. */
    ValueTypes(boolean refuseReflectiveWrites) {
        this.refuseReflectiveWrites = refuseReflectiveWrites;
    }

    @Override
    public String getModuleName() {
        return "cache-aside-value-types";
    }

    @Override
    public Version version() {
        return Version.unknownVersion();
    }

    @Override
    public void setupModule(SetupContext context) {
        if (refuseReflectiveWrites) {
            context.addSerializers(new ReflectiveTypes.Refusing());
            context.addKeySerializers(new ReflectiveTypes.Refusing());
        }
        context.addDeserializers(new ReflectiveTypes.RefusingDeserializers());
        context.addKeyDeserializers(new ReflectiveTypes.RefusingKeyDeserializers());
        context.addSerializers(new SpringDataValues.Writers());
        context.addDeserializers(new SpringDataValues.Readers());
        context.addDeserializers(new CopyOfCollections());
        SimpleAbstractTypeResolver ordered = new SimpleAbstractTypeResolver();
        ordered.addMapping(Set.class, LinkedHashSet.class);
        ordered.addMapping(Map.class, LinkedHashMap.class);
        context.addAbstractTypeResolver(ordered);
        context.addValueInstantiators(new InsertionOrdered());
    }

    /** A declared HashSet or HashMap is built as its insertion-ordered subclass. */
    private static final class InsertionOrdered extends ValueInstantiators.Base {
        @Override
        public ValueInstantiator findValueInstantiator(DeserializationConfig config, BeanDescription description,
                                                       ValueInstantiator defaultInstantiator) {
            Class<?> type = description.getBeanClass();
            if (type == HashSet.class) {
                return new Ordered(type, false);
            }
            if (type == HashMap.class) {
                return new Ordered(type, true);
            }
            return defaultInstantiator;
        }
    }

    private static final class Ordered extends ValueInstantiator.Base {
        private final boolean map;

        Ordered(Class<?> type, boolean map) {
            super(type);
            this.map = map;
        }

        @Override
        public boolean canCreateUsingDefault() {
            return true;
        }

        @Override
        public boolean canInstantiate() {
            return true;
        }

        @Override
        public Object createUsingDefault(DeserializationContext context) {
            return map ? new LinkedHashMap<Object, Object>() : new LinkedHashSet<Object>();
        }
    }

    private static final class CopyOfCollections extends Deserializers.Base {
        @Override
        public JsonDeserializer<?> findCollectionDeserializer(CollectionType type, DeserializationConfig config,
                BeanDescription description, TypeDeserializer elementTypeDeserializer,
                JsonDeserializer<?> elementDeserializer) {
            Class<?> raw = type.getRawClass();
            if (!needsFactory(raw)) {
                return null;
            }
            Class<?> mutable = SortedSet.class.isAssignableFrom(raw) ? TreeSet.class
                    : Set.class.isAssignableFrom(raw) ? LinkedHashSet.class : ArrayList.class;
            Method copyOf = copyOf(raw, mutable);
            if (copyOf == null) {
                return null;
            }
            JavaType input = config.getTypeFactory().constructCollectionType(
                    mutable.asSubclass(Collection.class), type.getContentType());
            return new StdDelegatingDeserializer<>(new CopyOf(copyOf, input, type));
        }

        @Override
        public JsonDeserializer<?> findMapDeserializer(MapType type, DeserializationConfig config,
                BeanDescription description, KeyDeserializer keyDeserializer,
                TypeDeserializer elementTypeDeserializer, JsonDeserializer<?> elementDeserializer) {
            Class<?> raw = type.getRawClass();
            if (!needsFactory(raw)) {
                return null;
            }
            Class<?> mutable = SortedMap.class.isAssignableFrom(raw) ? TreeMap.class : LinkedHashMap.class;
            Method copyOf = copyOf(raw, mutable);
            if (copyOf == null) {
                return null;
            }
            JavaType input = config.getTypeFactory().constructMapType(mutable.asSubclass(Map.class),
                    type.getKeyType(), type.getContentType());
            return new StdDelegatingDeserializer<>(new CopyOf(copyOf, input, type));
        }

        /** A type from outside the JDK that Jackson cannot instantiate itself. */
        private static boolean needsFactory(Class<?> type) {
            if (type.getName().startsWith("java.")) {
                return false;
            }
            if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
                return true;
            }
            try {
                type.getDeclaredConstructor();
                return false;
            } catch (NoSuchMethodException e) {
                return true;
            }
        }

        /** The type's public static copyOf that takes the mutable twin and returns the type itself. */
        private static Method copyOf(Class<?> type, Class<?> mutable) {
            Method best = null;
            for (Method method : type.getMethods()) {
                if (!method.getName().equals("copyOf") || !Modifier.isStatic(method.getModifiers())
                        || method.getParameterTypes().length != 1 || !type.isAssignableFrom(method.getReturnType())) {
                    continue;
                }
                Class<?> parameter = method.getParameterTypes()[0];
                if (parameter.isAssignableFrom(mutable)
                        && (best == null || best.getParameterTypes()[0].isAssignableFrom(parameter))) {
                    best = method; // the most specific: copyOf(Collection) over copyOf(Iterable)
                }
            }
            return best;
        }
    }

    private static final class CopyOf implements Converter<Object, Object> {
        private final Method copyOf;
        private final JavaType input;
        private final JavaType output;

        CopyOf(Method copyOf, JavaType input, JavaType output) {
            this.copyOf = copyOf;
            this.input = input;
            this.output = output;
        }

        @Override
        public Object convert(Object value) {
            try {
                return copyOf.invoke(null, value);
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException("cannot call " + copyOf, e);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException(copyOf.getDeclaringClass().getName() + ".copyOf refused the"
                        + " stored elements: " + e.getCause(), e.getCause());
            }
        }

        @Override
        public JavaType getInputType(TypeFactory types) {
            return input;
        }

        @Override
        public JavaType getOutputType(TypeFactory types) {
            return output;
        }
    }
}
