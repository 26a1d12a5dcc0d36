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
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.MapType;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/*
 * Hibernate hands out entities whose associations load on first touch: a proxy subclass of the entity
 * (its fields stay empty, the state sits in the proxy's initializer) and persistent collections. Written
 * field by field, a proxy gives its interceptor's internals instead of the entity, and iterating a
 * collection loads it: queries the application never asked for, inside its transaction, or a
 * LazyInitializationException outside one. So a loaded proxy is written as the entity it stands for,
 * a loaded collection as a plain collection, and anything not loaded stops the write with
 * NotLoadedException, which turns the rule off with a hint instead of loading it.
 *
 * The application's Hibernate is not on the agent's class path, so its types are recognised by the names
 * of interfaces it has kept since version 5, and called reflectively through them.
 */
final class LazyAssociations extends BeanSerializerModifier {

    private static final long serialVersionUID = 1L;

    private static final String PROXY = "org.hibernate.proxy.HibernateProxy";
    private static final String COLLECTION = "org.hibernate.collection.spi.PersistentCollection";

    /** A lazy association that is not loaded; the path names where it sits in the value. */
    static final class NotLoadedException extends JsonMappingException {
        private static final long serialVersionUID = 1L;

        NotLoadedException(JsonGenerator generator, String what) {
            super(generator, what);
        }
    }

    @Override
    public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription description,
                                              JsonSerializer<?> serializer) {
        Class<?> proxyInterface = implemented(description.getBeanClass(), PROXY);
        return proxyInterface == null ? serializer : new ProxySerializer(proxyInterface);
    }

    @Override
    public JsonSerializer<?> modifyCollectionSerializer(SerializationConfig config, CollectionType type,
                                                        BeanDescription description, JsonSerializer<?> serializer) {
        return guarded(description.getBeanClass(), serializer);
    }

    @Override
    public JsonSerializer<?> modifyMapSerializer(SerializationConfig config, MapType type,
                                                 BeanDescription description, JsonSerializer<?> serializer) {
        return guarded(description.getBeanClass(), serializer);
    }

    private static JsonSerializer<?> guarded(Class<?> type, JsonSerializer<?> serializer) {
        Class<?> collectionInterface = implemented(type, COLLECTION);
        if (collectionInterface == null) {
            return serializer;
        }
        try {
            return new LoadedCollectionSerializer(serializer, collectionInterface.getMethod("wasInitialized"));
        } catch (NoSuchMethodException e) {
            return serializer;
        }
    }

    /** The interface of that name among the type's supertypes, or null. */
    private static Class<?> implemented(Class<?> type, String interfaceName) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> anInterface : c.getInterfaces()) {
                Class<?> found = anInterface.getName().equals(interfaceName) ? anInterface
                        : implemented(anInterface, interfaceName);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Object call(Method method, Object target) throws IOException {
        try {
            return method.invoke(target);
        } catch (IllegalAccessException e) {
            throw new IOException("cannot call " + method, e);
        } catch (InvocationTargetException e) {
            throw new IOException("cannot call " + method + ": " + e.getCause(), e.getCause());
        }
    }

    /** A loaded proxy written as the entity it stands for. */
    private static final class ProxySerializer extends StdSerializer<Object> {
        private static final long serialVersionUID = 1L;

        private final transient Method lazyInitializer;
        private final transient Method isUninitialized;
        private final transient Method implementation;

        ProxySerializer(Class<?> proxyInterface) {
            super(Object.class);
            try {
                lazyInitializer = proxyInterface.getMethod("getHibernateLazyInitializer");
                isUninitialized = lazyInitializer.getReturnType().getMethod("isUninitialized");
                implementation = lazyInitializer.getReturnType().getMethod("getImplementation");
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("unknown Hibernate proxy interface " + proxyInterface, e);
            }
        }

        @Override
        public void serialize(Object proxy, JsonGenerator generator, SerializerProvider provider) throws IOException {
            Object initializer = call(lazyInitializer, proxy);
            if (Boolean.TRUE.equals(call(isUninitialized, initializer))) {
                throw new NotLoadedException(generator, "a Hibernate lazy proxy of "
                        + proxy.getClass().getSuperclass().getName() + " that is not loaded");
            }
            Object entity = call(implementation, initializer);
            provider.findTypedValueSerializer(entity.getClass(), true, null).serialize(entity, generator, provider);
        }
    }

    /** The collection's own serializer, once the collection is known to be loaded. */
    private static final class LoadedCollectionSerializer extends StdSerializer<Object>
            implements ContextualSerializer, ResolvableSerializer {
        private static final long serialVersionUID = 1L;

        private final JsonSerializer<Object> loaded;
        private final transient Method wasInitialized;

        @SuppressWarnings("unchecked")
        LoadedCollectionSerializer(JsonSerializer<?> loaded, Method wasInitialized) {
            super(Object.class);
            this.loaded = (JsonSerializer<Object>) loaded;
            this.wasInitialized = wasInitialized;
        }

        @Override
        public void serialize(Object collection, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            if (!Boolean.TRUE.equals(call(wasInitialized, collection))) {
                throw new NotLoadedException(generator, "a Hibernate lazy collection ("
                        + collection.getClass().getName() + ") that is not loaded");
            }
            loaded.serialize(collection, generator, provider);
        }

        @Override
        public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
                throws JsonMappingException {
            if (!(loaded instanceof ContextualSerializer)) {
                return this;
            }
            JsonSerializer<?> contextual = ((ContextualSerializer) loaded).createContextual(provider, property);
            return contextual == loaded ? this : new LoadedCollectionSerializer(contextual, wasInitialized);
        }

        @Override
        public void resolve(SerializerProvider provider) throws JsonMappingException {
            if (loaded instanceof ResolvableSerializer) {
                ((ResolvableSerializer) loaded).resolve(provider);
            }
        }
    }
}
