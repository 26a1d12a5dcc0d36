package dev.cacheaside.agent.runtime;

import com.example.fixture.User;
import dev.cacheaside.agent.codec.JsonCodec;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void fits_valueOfAnotherLoadersCopyOrWrongBox_isRefused() throws Exception {
        ValueShape user = ValueShape.of(Shapes.class.getDeclaredMethod("user"), Shapes.class, codec);
        ValueShape count = ValueShape.of(Shapes.class.getDeclaredMethod("count"), Shapes.class, codec);

        assertTrue(user.fits(new User()));
        assertTrue(user.fits(null));
        assertFalse(user.fits("not a user"), "a value the advice's cast would reject was served");
        assertTrue(count.fits(3));
        assertFalse(count.fits(null), "a null for a primitive was served");
        assertFalse(count.fits(3L));
    }

    @SuppressWarnings("unused")
    static final class Shapes {
        User user() {
            return null;
        }

        int count() {
            return 0;
        }
    }
}
