package dev.cacheaside.agent.codec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.ObjectIdGenerators;
import com.fasterxml.jackson.annotation.SimpleObjectIdResolver;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.AnnotatedConstructor;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import com.fasterxml.jackson.databind.introspect.ObjectIdInfo;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/*
 * The codec's only source of "annotations": it reads none from the classes (the application's Jackson
 * annotations belong to the application's Jackson), and instead answers two questions from the classes'
 * shape.
 *
 * Which constructor builds a class that has no no-argument constructor: the one whose parameters are its
 * fields. With -parameters the names say which field each parameter sets; without, the parameter types
 * do, provided that no type occurs twice among the parameters or among the fields (two Strings could be
 * either way round, and guessing would swap values silently). When the match is not unambiguous, no
 * constructor is chosen and reading fails with a "no Creators" error, which the rule reports.
 *
 * Whether objects carry ids: only the codec's object-graph form (see JsonCodec) does, for every bean.
 */
final class FieldsIntrospector extends NopAnnotationIntrospector {

    private static final long serialVersionUID = 1L;

    static final String ID_PROPERTY = "@id";

    private final boolean objectIds;
    private final transient ClassValue<Creator> creators = new ClassValue<Creator>() {
        @Override
        protected Creator computeValue(Class<?> type) {
            return Creator.of(type);
        }
    };

    FieldsIntrospector(boolean objectIds) {
        this.objectIds = objectIds;
    }

    @Override
    public JsonCreator.Mode findCreatorAnnotation(MapperConfig<?> config, Annotated annotated) {
        if (annotated instanceof AnnotatedConstructor) {
            AnnotatedConstructor constructor = (AnnotatedConstructor) annotated;
            Creator creator = creators.get(constructor.getDeclaringClass());
            if (creator != null && creator.constructor.equals(constructor.getAnnotated())) {
                return JsonCreator.Mode.PROPERTIES;
            }
        }
        return null;
    }

    @Override
    public String findImplicitPropertyName(AnnotatedMember member) {
        if (member instanceof AnnotatedParameter && ((AnnotatedParameter) member).getOwner()
                instanceof AnnotatedConstructor) {
            AnnotatedParameter parameter = (AnnotatedParameter) member;
            Creator creator = creators.get(parameter.getDeclaringClass());
            if (creator != null && creator.constructor.equals(parameter.getOwner().getMember())) {
                return creator.names[parameter.getIndex()];
            }
        }
        return null;
    }

    @Override
    public ObjectIdInfo findObjectIdInfo(Annotated annotated) {
        if (objectIds && annotated instanceof AnnotatedClass && isBean(annotated.getRawType())) {
            return new ObjectIdInfo(PropertyName.construct(ID_PROPERTY), Object.class,
                    ObjectIdGenerators.IntSequenceGenerator.class, SimpleObjectIdResolver.class);
        }
        return null;
    }

    private static final ClassValue<Boolean> BUILT_BY_CONSTRUCTOR = new ClassValue<Boolean>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isRecord(type) || Creator.of(type) != null;
        }
    };

    /** Whether Jackson builds the class through a constructor with arguments (a record, or a chosen one). */
    static boolean builtByConstructor(Class<?> type) {
        return BUILT_BY_CONSTRUCTOR.get(type);
    }

    /** An application class written field by field (not a JDK, collection, map or enum type). */
    static boolean isBean(Class<?> type) {
        String name = type.getName();
        return !type.isPrimitive() && !type.isArray() && !type.isEnum() && !type.isInterface()
                && !Modifier.isAbstract(type.getModifiers())
                && !name.startsWith("java.") && !name.startsWith("javax.") && !name.startsWith("jdk.")
                && !name.startsWith("sun.") && !name.startsWith("org.springframework.data.domain.")
                && !Collection.class.isAssignableFrom(type) && !Map.class.isAssignableFrom(type);
    }

    /** The constructor that sets a class's fields, and the field each parameter sets. */
    private static final class Creator {
        final Constructor<?> constructor;
        final String[] names;

        private Creator(Constructor<?> constructor, String[] names) {
            this.constructor = constructor;
            this.names = names;
        }

        /** Null unless the class needs one (no no-argument constructor) and exactly one fits. */
        static Creator of(Class<?> type) {
            if (!isBean(type) || isRecord(type) || type.isAnonymousClass() || type.isLocalClass()
                    || (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers()))) {
                return null;
            }
            Constructor<?>[] constructors;
            List<Field> fields;
            try {
                constructors = type.getDeclaredConstructors();
                fields = fields(type);
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
            Creator best = null;
            boolean tie = false;
            for (Constructor<?> constructor : constructors) {
                if (constructor.getParameterCount() == 0) {
                    return null;
                }
                if (constructor.isSynthetic()) {
                    continue;
                }
                String[] names = byName(constructor, fields);
                if (names == null) {
                    names = byType(constructor, fields);
                }
                if (names == null) {
                    continue;
                }
                if (best == null || names.length > best.names.length) {
                    best = new Creator(constructor, names);
                    tie = false;
                } else if (names.length == best.names.length) {
                    tie = true;
                }
            }
            return tie ? null : best;
        }

        private static String[] byName(Constructor<?> constructor, List<Field> fields) {
            java.lang.reflect.Parameter[] parameters = constructor.getParameters();
            String[] names = new String[parameters.length];
            for (int i = 0; i < parameters.length; i++) {
                if (!parameters[i].isNamePresent()) {
                    return null;
                }
                Field field = named(fields, parameters[i].getName());
                if (field == null || !wraps(field.getType(), parameters[i].getType())) {
                    return null;
                }
                names[i] = field.getName();
            }
            return names;
        }

        private static String[] byType(Constructor<?> constructor, List<Field> fields) {
            Class<?>[] types = constructor.getParameterTypes();
            String[] names = new String[types.length];
            for (int i = 0; i < types.length; i++) {
                Field match = null;
                for (Field field : fields) {
                    if (field.getType() == types[i]) {
                        if (match != null) {
                            return null; // two fields of this type: which one the parameter sets is unknown
                        }
                        match = field;
                    }
                }
                if (match == null) {
                    return null;
                }
                for (int j = 0; j < i; j++) {
                    if (types[j] == types[i]) {
                        return null;
                    }
                }
                names[i] = match.getName();
            }
            return names;
        }

        private static Field named(List<Field> fields, String name) {
            for (Field field : fields) {
                if (field.getName().equals(name)) {
                    return field;
                }
            }
            return null;
        }

        private static boolean wraps(Class<?> fieldType, Class<?> parameterType) {
            return fieldType == parameterType || fieldType.isAssignableFrom(parameterType);
        }

        /** Instance fields that carry state, of the class and its superclasses. */
        private static List<Field> fields(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> level = type; level != null && level != Object.class; level = level.getSuperclass()) {
                for (Field field : level.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !field.isSynthetic()) {
                        fields.add(field);
                    }
                }
            }
            return fields;
        }
    }

    /** Records are built by Jackson through their canonical constructor; {@code Class.isRecord} is Java 16+. */
    static boolean isRecord(Class<?> type) {
        Class<?> superclass = type.getSuperclass();
        return superclass != null && superclass.getName().equals("java.lang.Record");
    }
}
