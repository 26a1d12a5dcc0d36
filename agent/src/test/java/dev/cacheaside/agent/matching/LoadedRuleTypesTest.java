package dev.cacheaside.agent.matching;

import dev.cacheaside.agent.config.AgentSettings;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadedRuleTypesTest {

    interface Repository {
        Object find(long id);
    }

    interface NamedRepository extends Repository {
    }

    static class Plain implements Repository {
        @Override
        public Object find(long id) {
            return id;
        }
    }

    static class Sub extends Plain {
        @Override
        public Object find(long id) {
            return -id;
        }
    }

    static class Named implements NamedRepository {
        @Override
        public Object find(long id) {
            return id;
        }
    }

    static class Unrelated {
        public Object find(long id) {
            return id;
        }
    }

    static class Base {
        public void save() {
        }
    }

    static class Saving extends Base {
        public Object find(long id) {
            return id;
        }
    }

    @TempDir
    Path dir;

    @Test
    void leadsToRuleType_throughSuperclassesAndInterfaces() throws Exception {
        LoadedRuleTypes related = new LoadedRuleTypes(matcher("Repository#find", "Base#save"));

        assertTrue(related.leadsToRuleType(Repository.class), "the rule type itself");
        assertTrue(related.leadsToRuleType(Plain.class));
        assertTrue(related.leadsToRuleType(Sub.class), "through its superclass");
        assertTrue(related.leadsToRuleType(Named.class), "through an interface's interface");
        assertTrue(related.leadsToRuleType(Saving.class), "the other rule's type");
        assertFalse(related.leadsToRuleType(Unrelated.class), "declares the name, but no rule type above it");
        assertFalse(related.leadsToRuleType(String.class));
    }

    @Test
    void leadsToRuleType_neverTurnsDownAClassTheMatcherInstruments() throws Exception {
        RuleMatcher matcher = matcher("Repository#find", "Base#save");
        LoadedRuleTypes related = new LoadedRuleTypes(matcher);
        for (Class<?> type : List.of(Repository.class, Plain.class, Sub.class, Named.class, Unrelated.class,
                Base.class, Saving.class, Object.class, String.class)) {
            boolean matched = !matcher.match(TypeDescription.ForLoadedType.of(type)).isEmpty();
            assertTrue(!matched || related.leadsToRuleType(type), type.getName());
        }
    }

    @Test
    void rulesOfSeveralMatchers_andNoMatcher() throws Exception {
        assertTrue(new LoadedRuleTypes(null, matcher("Repository#find")).leadsToRuleType(Plain.class),
                "the rules before a reload or after it");
        assertFalse(new LoadedRuleTypes((RuleMatcher) null).leadsToRuleType(Plain.class), "no rules at all");
        assertEquals(2, matcher("Repository#find", "Base#save").ruleTypeNames().size());
    }

    private RuleMatcher matcher(String... methods) throws Exception {
        StringBuilder conf = new StringBuilder("cache-aside.cache {\n");
        for (int i = 0; i < methods.length; i++) {
            conf.append("  r").append(i).append(" { method = \"").append(LoadedRuleTypesTest.class.getName())
                    .append('$').append(methods[i]).append("\" }\n");
        }
        Path file = dir.resolve("agent.conf");
        Files.writeString(file, conf.append("}\n").toString());
        return new RuleMatcher(AgentSettings.load(file));
    }
}
