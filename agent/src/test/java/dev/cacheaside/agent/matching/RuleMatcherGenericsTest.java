package dev.cacheaside.agent.matching;

import dev.cacheaside.agent.config.MethodSpec;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Parameter lists matched through generic super-interfaces, as on a Spring Data repository's JDK proxy. */
class RuleMatcherGenericsTest {

    interface Crud<T, ID> {
        Optional<T> findById(ID id);

        <S extends T> S save(S entity);
    }

    interface Base<T, ID> extends Crud<T, ID> {
    }

    interface Categories extends Base<String, Long> {
    }

    interface Reviews extends Base<String, Long> {
        @Override
        Optional<String> findById(Long id);
    }

    private static List<String> matched(Class<?> anInterface, String spec) {
        Class<?> proxy = Proxy.getProxyClass(RuleMatcherGenericsTest.class.getClassLoader(), anInterface);
        TypeDescription type = TypeDescription.ForLoadedType.of(proxy);
        MethodSpec parsed = MethodSpec.parse(anInterface.getName() + "#" + spec);
        List<String> found = new ArrayList<>();
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            if (RuleMatcher.matches(parsed, method, type)) {
                found.add(method.getInternalName() + method.getDescriptor());
            }
        }
        return found;
    }

    @Test
    void typeVariableBoundBySuperInterfaces_matchesTheErasedProxyMethod() {
        assertEquals(List.of("findById(Ljava/lang/Object;)Ljava/util/Optional;"), matched(Categories.class, "findById(Long)"));
        assertEquals(List.of("findById(Ljava/lang/Object;)Ljava/util/Optional;"),
                matched(Categories.class, "findById(java.lang.Long)"));
        assertEquals(List.of(), matched(Categories.class, "findById(String)"));
        assertEquals(List.of("save(Ljava/lang/Object;)Ljava/lang/Object;"), matched(Categories.class, "save(String)"));
    }

    @Test
    void redeclaredMethod_isTheOnlyOneItsTypesMatch() {
        assertEquals(List.of("findById(Ljava/lang/Long;)Ljava/util/Optional;"), matched(Reviews.class, "findById(Long)"));
        assertEquals(2, matched(Reviews.class, "findById").size());
    }

    @Test
    void proxyMethodsOfAnInterface_areResolvedAsItSeesThem() {
        List<String> written = new ArrayList<>();
        for (MethodDescription method : InheritedMethods.ofProxy(TypeDescription.ForLoadedType.of(Reviews.class))) {
            written.add(method.getInternalName() + InheritedMethods.erasedParameters(method));
        }
        written.sort(null); // the order of declared methods is the JVM's
        assertEquals(List.of("findById[java.lang.Long]", "findById[java.lang.Long]", "save[java.lang.String]"), written);
    }
}
