package dev.cacheaside.agent.matching;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HierarchyIndexTest {

    private static final String[] OBJECT = {"java/lang/Object"};

    private final HierarchyIndex index = new HierarchyIndex(List.of("com.acme.UserDao"));
    private final ClassLoader app = new URLClassLoader(new URL[0], null);

    @Test
    void classesDecidedOnTheirSupertypes() {
        assertFalse(index.mayLeadToRuleType(app, "com/acme/Plain", OBJECT), "extends Object only");
        assertFalse(index.mayLeadToRuleType(app, "com/acme/Task", new String[] {"java/lang/Thread",
                "java/lang/Runnable"}), "JDK supertypes never lead to an application's type");
        assertTrue(index.mayLeadToRuleType(app, "com/acme/UserDao", new String[0]), "the rule type itself");
        assertTrue(index.mayLeadToRuleType(app, "com/acme/JdbcUserDao", new String[] {"java/lang/Object",
                "com/acme/UserDao"}));
        assertTrue(index.mayLeadToRuleType(app, "com/acme/CachingUserDao", new String[] {"com/acme/JdbcUserDao"}),
                "through a recorded superclass");
        assertFalse(index.mayLeadToRuleType(app, "com/acme/Special", new String[] {"com/acme/Plain"}),
                "through a recorded superclass that leads nowhere");
    }

    @Test
    void aSupertypeNotSeen_leavesTheDecisionToTheFullMatcher() {
        assertTrue(index.mayLeadToRuleType(app, "com/acme/Late", new String[] {"com/acme/LoadedLater"}));
        assertTrue(index.mayLeadToRuleType(app, "com/acme/Later", new String[] {"com/acme/Late"}),
                "unknown stays unknown down the hierarchy");
        assertTrue(index.mayLeadToRuleType(app, "com/acme/Broken", null), "unreadable bytes");
    }

    @Test
    void aChildLoaderFindsWhatItsParentDefined_butNotTheOtherWayRound() {
        ClassLoader child = new URLClassLoader(new URL[0], app);
        index.mayLeadToRuleType(app, "com/acme/Plain", OBJECT);
        index.mayLeadToRuleType(child, "com/acme/Local", OBJECT);

        assertFalse(index.mayLeadToRuleType(child, "com/acme/Sub", new String[] {"com/acme/Plain"}));
        assertTrue(index.mayLeadToRuleType(app, "com/acme/Other", new String[] {"com/acme/Local"}),
                "the parent cannot see the child's class: unknown");
    }
}
