package dev.cacheaside.agent.matching;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MutatorNamesTest {

    @SuppressWarnings("unused")
    static class Dao {
        public Object findById(long id) { return null; }
        public Object getName() { return null; }
        public boolean isbn() { return false; }
        public void updatePrice(long id) { }
        public void reprice() { }
        public Object toDto() { return null; }
        public void settle() { }
        private void helper() { }
    }

    @Test
    void readersAndPrivateMethodsAreNotWatched_everythingElseIs() {
        assertFalse(mayChange("findById"));
        assertFalse(mayChange("getName"));
        assertFalse(mayChange("toDto"));
        assertFalse(mayChange("helper"));
        assertTrue(mayChange("updatePrice"));
        assertTrue(mayChange("reprice"), "an unusual mutator name is still watched");
        assertTrue(mayChange("isbn"), "a prefix counts only before a capital");
        assertTrue(mayChange("settle"));
    }

    private static boolean mayChange(String name) {
        MethodDescription method = TypeDescription.ForLoadedType.of(Dao.class).getDeclaredMethods()
                .filter(named(name)).getOnly();
        return MutatorNames.mayChangeData(method);
    }
}
