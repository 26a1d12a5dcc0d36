package dev.cacheaside.agent.matching;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SkippedTypesTest {

    @Test
    void jdkAndAgentClasses_areSkipped_inEitherNameForm() {
        for (String name : new String[] {"java.util.List", "java/util/List", "javax.sql.DataSource", "jdk.internal.misc.Unsafe",
                "sun.misc.Unsafe", "com.sun.net.httpserver.HttpServer", "com/sun/net/httpserver/HttpServer",
                "dev.cacheaside.agent.AgentRuntime", "dev/cacheaside/bridge/CacheAsideBridge"}) {
            assertTrue(SkippedTypes.isSkipped(name), name);
            assertTrue(SkippedTypes.isJdkOrAgent(name), name);
        }
    }

    @Test
    void jdkDynamicProxies_areNot_theyCarryTheirInterfacesRules() {
        for (String name : new String[] {"jdk.proxy3.$Proxy182", "jdk/proxy3/$Proxy182", "com.sun.proxy.$Proxy7"}) {
            assertFalse(SkippedTypes.isSkipped(name), name);
            assertTrue(SkippedTypes.isJdk(name), name);
        }
    }

    @Test
    void subclassProxies_areSkipped_butOnlyByTheTransformer() {
        String cglib = "com.acme.ProductService$$SpringCGLIB$$0";
        assertTrue(SkippedTypes.isSkipped(cglib));
        assertFalse(SkippedTypes.isJdkOrAgent(cglib));
    }

    @Test
    void applicationClasses_whosePackageOnlyStartsLikeTheJdks_areNot() {
        for (String name : new String[] {"javafoo.Dao", "javax2.Dao", "sunny.Dao", "com.sunrise.Dao", "dev.cacheasidex.Dao",
                "com.acme.java.Dao", "com.acme.$ProxyFactory"}) {
            assertFalse(SkippedTypes.isSkipped(name), name);
            assertFalse(SkippedTypes.isJdk(name), name);
        }
    }
}
