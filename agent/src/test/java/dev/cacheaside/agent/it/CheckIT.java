package dev.cacheaside.agent.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check command on the fixture classes: what each rule matches, every problem, and the exit code. */
class CheckIT {

    private static final String F = "com.example.fixture.";
    private static final String SPRING_BOOT_APP_JAR = Path.of(System.getProperty("spring-boot.app.jar",
            "../fixtures/spring-boot-app/target/spring-boot-app.jar")).toAbsolutePath().toString();
    private static final String SPRING_BOOT_PAGES_APP_JAR = Path.of(System.getProperty("spring-boot-pages.app.jar",
            "../fixtures/spring-boot-pages-app/target/spring-boot-pages-app.jar")).toAbsolutePath().toString();

    @TempDir
    Path dir;

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void check_cleanConfig_listsMatchedMethods_andExitsZero(Path jdk) {
        Path config = RedisFixture.writeConfig(dir, "cache-aside {\n redis.uri = \"redis://app:hunter2@127.0.0.1:6379\"\n"
                + CacheAsideIT.RULES + "\n}\n");

        AgentCli.Result result = AgentCli.run(jdk, "check", config.toString(), "--classpath", ForkedApp.FIXTURE_CLASSES);

        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.stdout().contains("cache user-by-id"), result.stdout());
        assertTrue(result.stdout().contains("matches com.example.fixture.InMemoryUserRepository#findById(J)"
                + "Lcom/example/fixture/User;"), result.stdout());
        assertTrue(result.stdout().contains("matches com.example.fixture.Catalog#find(J)Ljava/lang/String;"));
        assertFalse(result.stdout().contains("Catalog#find(Ljava/lang/String;)"), "find(long) only");
        assertTrue(result.stdout().contains("0 error(s)"), result.stdout());
        assertTrue(result.stdout().contains("redis://app:***@127.0.0.1:6379"), result.stdout());
        assertFalse(result.all().contains("hunter2"), "no password in the output");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void check_brokenConfig_reportsEveryProblem_andExitsOne(Path jdk) {
        Path config = RedisFixture.writeConfig(dir, String.join("\n",
                "cache-aside {",
                "  cache {",
                "    unknown-class { method = \"com.example.Nope#find\" }",
                "    unknown-method { method = \"" + F + "Catalog#fetch\" }",
                "    wrong-parameters { method = \"" + F + "Catalog#count(long)\" }",
                "    overloads { method = \"" + F + "Catalog#find\", key = \"f:{0}\" }",
                "    also-find-long { method = \"" + F + "Catalog#find(long)\", key = \"fl:{0}\" }",
                "    missing-argument { method = \"" + F + "Catalog#index\", key = \"i:{0}\" }",
                "    missing-property { method = \"" + F + "Catalog#byUser\", key = \"u:{0.nickname}\" }",
                "    void-method { method = \"" + F + "UserRepository#delete\", key = \"d:{0}\" }",
                "  }",
                "  evict {",
                "    unknown-cache { method = \"" + F + "UserRepository#update\", keys = [\"user:{0.id}\"],"
                        + " caches = [\"users\"] }",
                "  }",
                "}"));

        AgentCli.Result result = AgentCli.run(jdk, "check", config.toString(), "--classpath", ForkedApp.FIXTURE_CLASSES);
        String out = result.stdout();

        assertEquals(1, result.exitCode(), result.all());
        assertTrue(out.contains("no class com.example.Nope on the class path"), out);
        assertTrue(out.contains("com.example.fixture.Catalog has no method 'fetch', declared or inherited"), out);
        assertTrue(out.contains("the parameter list of com.example.fixture.Catalog#count(long) matches no overload"),
                out);
        assertTrue(out.contains("WARN  cache.overloads: com.example.fixture.Catalog#find has no parameter list and"
                + " matches 2 overloads"), out);
        assertTrue(out.contains("all apply to this method"), out);
        assertTrue(out.contains("key 'i:{0}' names argument 0 but the method has 0 parameter(s)"), out);
        assertTrue(out.contains("com.example.fixture.User (argument 0) has no getter, accessor or field 'nickname'"),
                out);
        assertTrue(out.contains("returns void; a cache rule needs a return value"), out);
        assertTrue(out.contains("no cache rule named 'users'"), out);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void check_springBootFatJar_readsNestedClassesAndLibs(Path jdk) throws IOException {
        Path fatJar = dir.resolve("app.jar");
        Path fixtures = Path.of(ForkedApp.FIXTURE_CLASSES);
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(fatJar))) {
            for (String name : List.of("Catalog", "User", "Spot", "modern/Point", "modern/Shapes", "Color", "BodyRuns")) {
                copy(jar, "BOOT-INF/classes/com/example/fixture/" + name + ".class",
                        Files.readAllBytes(fixtures.resolve("com/example/fixture/" + name + ".class")));
            }
            ByteArrayOutputStream nested = new ByteArrayOutputStream();
            try (JarOutputStream lib = new JarOutputStream(nested)) {
                for (String name : List.of("UserRepository", "InMemoryUserRepository")) {
                    copy(lib, "com/example/fixture/" + name + ".class",
                            Files.readAllBytes(fixtures.resolve("com/example/fixture/" + name + ".class")));
                }
            }
            copy(jar, "BOOT-INF/lib/repositories.jar", nested.toByteArray());
        }
        Path config = RedisFixture.writeConfig(dir, "cache-aside {\n" + CacheAsideIT.RULES + "\n}\n");

        AgentCli.Result result = AgentCli.run(jdk, "check", config.toString(), "--classpath", fatJar.toString());

        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.stdout().contains("matches com.example.fixture.InMemoryUserRepository#findById"), result.all());
        assertTrue(result.stdout().contains("matches com.example.fixture.Catalog#count"), result.all());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void check_springDataRepositories_matchInheritedMethodsOnTheirProxies_andExitsZero(Path jdk) {
        String b = "com.example.boot.";
        Path config = RedisFixture.writeConfig(dir, String.join("\n",
                "cache-aside {",
                "  cache {",
                "    category-by-id { method = \"" + b + "CategoryRepository#findById(Long)\", key = \"category:{0}\" }",
                "    review-by-id { method = \"" + b + "ReviewRepository#findById(Long)\", key = \"review:{0}\" }",
                "    product-by-sku { method = \"" + b + "ProductRepository#findBySku(String)\", key = \"sku:{0}\" }",
                "  }",
                "  evict {",
                "    category-save { method = \"" + b + "CategoryRepository#save\", keys = [\"category:{0.id}\"] }",
                "  }",
                "}"));

        AgentCli.Result result = AgentCli.run(jdk, "check", config.toString(), "--classpath", SPRING_BOOT_APP_JAR);
        String out = result.stdout();

        assertEquals(0, result.exitCode(), result.all());
        assertTrue(out.contains("matches com.example.boot.CategoryRepository#findById(Ljava/lang/Object;)"
                + "Ljava/util/Optional; on its runtime proxy (findById(java.lang.Long) of"
                + " org.springframework.data.repository.CrudRepository)"), out);
        assertTrue(out.contains("matches com.example.boot.ReviewRepository#findById(Ljava/lang/Long;)"), out);
        assertFalse(out.contains("ReviewRepository#findById(Ljava/lang/Object;)"), "the redeclared findById(Long) only");
        assertTrue(out.contains("matches com.example.boot.ProductRepository#findBySku(Ljava/lang/String;)"), out);
        assertTrue(out.contains("matches com.example.boot.CategoryRepository#save(Ljava/lang/Object;)"), out);
        for (String rule : List.of("cache.category-by-id", "cache.review-by-id", "cache.product-by-sku",
                "evict.category-save")) {
            assertTrue(out.contains("NOTE  " + rule + ": no class on the class path implements the interface"), out);
        }
        assertTrue(out.contains("the rule applies to the proxy that implements it at run time"), out);
        assertTrue(out.contains("0 error(s)"), out);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void check_springDataRepository_unknownMethod_exitsOne(Path jdk) {
        Path config = RedisFixture.writeConfig(dir, String.join("\n",
                "cache-aside {",
                "  cache {",
                "    category-by-id { method = \"com.example.boot.CategoryRepository#findById(Long)\" }",
                "    category-by-name { method = \"com.example.boot.CategoryRepository#findByTitle(String)\" }",
                "    category-by-text { method = \"com.example.boot.CategoryRepository#findById(String)\" }",
                "  }",
                "}"));

        AgentCli.Result result = AgentCli.run(jdk, "check", config.toString(), "--classpath", SPRING_BOOT_APP_JAR);
        String out = result.stdout();

        assertEquals(1, result.exitCode(), result.all());
        assertTrue(out.contains("ERROR cache.category-by-name (" ), out);
        assertTrue(out.contains("com.example.boot.CategoryRepository has no method 'findByTitle', declared or"
                + " inherited"), out);
        assertTrue(out.contains("the parameter list of com.example.boot.CategoryRepository#findById(String) matches"
                + " no overload; there are: [findById(java.lang.Long)]"), out);
        assertFalse(out.contains("ERROR cache.category-by-id"), out);
        assertTrue(out.contains("2 error(s)"), out);
    }

    /** Issue 12: a rule on a paged Spring Data query was refused, although the codec reads a Page back. */
    @ParameterizedTest
    @MethodSource("jdks")
    void check_springDataPageResult_isNoError_andExitsZero(Path jdk) {
        String p = "com.example.pages.";
        Path config = RedisFixture.writeConfig(dir, String.join("\n",
                "cache-aside {",
                "  cache {",
                "    owners-by-last-name {",
                "      method = \"" + p + "OwnerRepository#findByLastNameStartingWith(String, Pageable)\"",
                "      key = \"owners:{0}:{1.pageNumber}:{1.pageSize}\"",
                "    }",
                "  }",
                "}"));

        AgentCli.Result result = AgentCli.run(jdk, "check", config.toString(), "--classpath", SPRING_BOOT_PAGES_APP_JAR);
        String out = result.stdout();

        assertEquals(0, result.exitCode(), result.all());
        assertTrue(out.contains("matches " + p + "OwnerRepository#findByLastNameStartingWith(Ljava/lang/String;"
                + "Lorg/springframework/data/domain/Pageable;)Lorg/springframework/data/domain/Page;"), out);
        assertFalse(out.contains("ERROR"), out);
        assertTrue(out.contains("0 error(s)"), out);
    }

    private static void copy(JarOutputStream jar, String name, byte[] bytes) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        jar.write(bytes);
        jar.closeEntry();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void check_unreadableConfig_exitsOne(Path jdk) {
        AgentCli.Result result = AgentCli.run(jdk, "check", dir.resolve("absent.conf").toString(), "--classpath",
                ForkedApp.FIXTURE_CLASSES);

        assertEquals(1, result.exitCode());
        assertTrue(result.stdout().contains("absent.conf: config file not found"), result.all());
    }
}
