package dev.cacheaside.agent.runtime;

import com.example.fixture.User;
import dev.cacheaside.agent.codec.JsonCodec;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ValueShapeTest {

    private final JsonCodec codec = new JsonCodec();

    /** Shaped like Spring Data's CrudRepository: the entity is a type variable of a generic interface. */
    @SuppressWarnings("unused")
    interface Repository<T, ID> {
        Optional<T> findById(ID id);

        List<T> findAll();
    }

    interface UserRepository extends Repository<User, Long> {
    }

    @Test
    void of_jdkProxyMethod_readsTheEntity_ofTheProxiedInterface() throws Exception {
        Class<?> proxy = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {UserRepository.class},
                (self, method, arguments) -> null).getClass();
        Method findById = proxy.getDeclaredMethod("findById", Object.class);
        Method findAll = proxy.getDeclaredMethod("findAll");

        ValueShape optional = ValueShape.of(findById, proxy, codec);
        ValueShape list = ValueShape.of(findAll, proxy, codec);

        assertEquals(ValueShape.Kind.OPTIONAL, optional.kind());
        assertEquals(User.class, optional.storedType().getRawClass());
        assertEquals(User.class, list.storedType().getContentType().getRawClass());
    }
}
