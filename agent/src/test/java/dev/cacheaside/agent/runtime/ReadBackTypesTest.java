package dev.cacheaside.agent.runtime;

import com.example.fixture.User;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ReadBackTypesTest {

    private static final TypeFactory TYPES = TypeFactory.defaultInstance();

    @Test
    void drift_beanReadAsAMap_underObject() {
        assertEquals("java.util.LinkedHashMap instead of com.example.fixture.User",
                ReadBackTypes.drift(new User(1, "a", "odd"), new LinkedHashMap<>(Map.of("id", 1)), type(Object.class)));
    }

    @Test
    void drift_longReadAsInteger() {
        assertEquals("java.lang.Integer instead of java.lang.Long", ReadBackTypes.drift(5L, 5, type(Object.class)));
    }

    @Test
    void drift_elementsOfAList_comparedByTheFirst() {
        JavaType listOfObject = TYPES.constructCollectionType(List.class, Object.class);

        assertEquals("java.util.LinkedHashMap instead of com.example.fixture.User", ReadBackTypes.drift(
                List.of(new User(1, "a", "odd")), new ArrayList<>(List.of(new LinkedHashMap<>())), listOfObject));
    }

    @Test
    void drift_none_forOtherContainerClasses_subclassesAndNulls() {
        JavaType listOfUser = TYPES.constructCollectionType(List.class, User.class);
        User user = new User(1, "a", "odd");

        assertNull(ReadBackTypes.drift(List.of(user), new ArrayList<>(List.of(user)), listOfUser));
        assertNull(ReadBackTypes.drift(new User(1, "a", "odd") { }, user, type(User.class)));
        assertNull(ReadBackTypes.drift(List.of(), new ArrayList<>(), listOfUser));
        assertNull(ReadBackTypes.drift(null, null, type(User.class)));
    }

    private static JavaType type(Class<?> type) {
        return TYPES.constructType(type);
    }
}
