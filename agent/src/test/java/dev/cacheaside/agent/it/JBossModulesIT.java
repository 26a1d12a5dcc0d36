package dev.cacheaside.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixture as a JBoss Modules module (the module system of WildFly and JBoss EAP), whose class loader
 * delegates to the boot loader only {@code java.*} and the packages named in {@code jboss.modules.system.pkgs}.
 */
class JBossModulesIT extends RedisTestBase {

    /** JBoss Modules 1.12 installs a security Policy at start, which JDK 18 and later refuse. */
    static List<Path> jdks() {
        return Jdks.between(0, 18);
    }

    private static final Path JBOSS_MODULES = Path.of(System.getProperty("jboss-modules.jar",
            "target/servers/jboss-modules.jar"));

    @ParameterizedTest
    @MethodSource("jdks")
    void javaagent_cachesInAModuleClassLoader_withoutSystemPackageFlags(Path jdk) throws IOException {
        try (ForkedApp app = ForkedApp.launch(jdk, redis.config(dir, CacheAsideIT.RULES), moduleLaunch(List.of()))) {
            ForkedApp.Reply miss = app.call("user", 1);
            ForkedApp.Reply hit = app.call("user", 1);

            assertTrue(miss.ok(), miss + "\n" + app.stderr());
            assertEquals(miss.value(), hit.value());
            assertEquals(1, app.runs("findById"), "the second call is a hit");
            assertTrue(redis.exists("cache-aside:user:1"));
            assertFalse(app.stderr().contains("NoClassDefFoundError"), app.stderr());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void attach_intoAModuleLoaderThatCannotSeeTheBridge_leavesItsClassesAlone_andNamesTheFlag(Path jdk)
            throws IOException {
        try (ForkedApp app = ForkedApp.launch(jdk, null, moduleLaunch(List.of(AttachIT.DYNAMIC)))) {
            app.call("user", 1);

            AgentCli.Result attached = AgentCli.run(jdk, "attach", String.valueOf(app.pid()),
                    redis.config(dir, CacheAsideIT.RULES).toString());
            assertEquals(0, attached.exitCode(), attached.all());
            ForkedApp.Reply first = app.call("user", 1);
            ForkedApp.Reply second = app.call("user", 1);

            assertTrue(first.ok() && second.ok(), first + " " + second + "\n" + app.stderr());
            assertEquals(3, app.runs("findById"), "uncached, and never failing");
            assertFalse(app.stderr().contains("NoClassDefFoundError"), app.stderr());
            assertTrue(app.stderr().contains("-Djboss.modules.system.pkgs=dev.cacheaside.bridge"), app.stderr());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void attach_withTheNamedFlag_caches(Path jdk) throws IOException {
        List<String> options = List.of("-Djboss.modules.system.pkgs=dev.cacheaside.bridge", AttachIT.DYNAMIC[0],
                AttachIT.DYNAMIC[1]);
        try (ForkedApp app = ForkedApp.launch(jdk, null, moduleLaunch(options))) {
            app.call("user", 1);

            AgentCli.Result attached = AgentCli.run(jdk, "attach", String.valueOf(app.pid()),
                    redis.config(dir, CacheAsideIT.RULES).toString());
            assertEquals(0, attached.exitCode(), attached.all());
            app.call("user", 1);
            app.call("user", 1);

            assertEquals(2, app.runs("findById"), "a miss after the attach, then a hit");
            assertTrue(redis.exists("cache-aside:user:1"));
        }
    }

    /** JVM options, then {@code -jar jboss-modules.jar -mp <repo> com.example.fixture}. */
    private List<String> moduleLaunch(List<String> jvmOptions) throws IOException {
        Path module = dir.resolve("modules/com/example/fixture/main");
        Files.createDirectories(module);
        Path classes = Path.of(ForkedApp.FIXTURE_CLASSES);
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(module.resolve("fixture.jar")));
             Stream<Path> files = Files.walk(classes.resolve("com/example/fixture"))) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(file));
                jar.closeEntry();
            }
        }
        Files.write(module.resolve("module.xml"), String.join("\n",
                "<module xmlns=\"urn:jboss:module:1.1\" name=\"com.example.fixture\">",
                "  <main-class name=\"com.example.fixture.FixtureMain\"/>",
                "  <resources><resource-root path=\"fixture.jar\"/></resources>",
                "</module>", "").getBytes(StandardCharsets.UTF_8));
        List<String> launch = new java.util.ArrayList<>(jvmOptions);
        launch.addAll(List.of("-jar", JBOSS_MODULES.toAbsolutePath().toString(), "-mp",
                dir.resolve("modules").toString(), "com.example.fixture"));
        return launch;
    }
}
