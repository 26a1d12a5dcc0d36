package dev.cacheaside.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spring Boot 4 web application shaped like Spring PetClinic ({@code fixtures/spring-boot-pages-app}), run
 * with {@code java -jar} and rules a user would write on its repositories and services: Thymeleaf pages and a
 * JSON API over Spring Data JPA (a redeclared {@code findById(Long)}, a {@code Page} search, a derived query,
 * the inherited {@code save}) and Hibernate 7 entities with ordered eager and lazy sets. Every HTTP answer
 * with the agent must equal, status and bytes, the answer of a run without it.
 */
class SpringBootPagesIT extends RedisTestBase {

    private static final Path APP_JAR = Path.of(System.getProperty("spring-boot-pages.app.jar",
            "../fixtures/spring-boot-pages-app/target/spring-boot-pages-app.jar"));
    private static final String P = "com.example.pages.";
    private static final String RULES = String.join("\n",
            "cache {",
            "  owner-by-id { method = \"" + P + "OwnerRepository#findById(Long)\", key = \"owner:{0}\" }",
            "  owners-by-last-name {",
            "    method = \"" + P + "OwnerRepository#findByLastNameStartingWith(String, Pageable)\"",
            "    key = \"owners:{0}:{1.pageNumber}:{1.pageSize}\"",
            "  }",
            "  owners-in-city {",
            "    method = \"" + P + "OwnerRepository#findByCityOrderByLastNameAscFirstNameAsc(String)\"",
            "    key = \"city:{0}\"",
            "  }",
            "  vets { method = \"" + P + "VetService#vets()\", key = \"vets\" }",
            "}",
            "evict {",
            "  visit-added {",
            "    method = \"" + P + "OwnerService#addVisit\"",
            "    keys = [\"owner:{0}\"], caches = [\"owners-by-last-name\", \"owners-in-city\"]",
            "  }",
            // the inherited save(S) of CrudRepository, declared nowhere in the application
            "  owner-saved {",
            "    method = \"" + P + "OwnerRepository#save\"",
            "    keys = [\"owner:{0.id}\"], caches = [\"owners-by-last-name\", \"owners-in-city\"]",
            "  }",
            "  specialty-added { method = \"" + P + "VetService#addSpecialty\", keys = [\"vets\"] }",
            "}");

    /** Reads whose rules cache them: in the second round none runs SQL. */
    private static final List<String> CACHED_READS = List.of(
            "GET /owners?lastName=D&page=0", "GET /owners?lastName=D&page=1", "GET /owners?lastName=&page=0",
            "GET /owners?lastName=F&page=0", "GET /owners/1", "GET /owners/6", "GET /api/owners/6",
            "GET /api/owners/99", "GET /api/owners?city=Madison", "GET /api/owners?city=Monona", "GET /vets",
            "GET /api/vets");
    /** Each write, then the reads that must show it at once. */
    private static final List<String> WRITES_AND_READS = List.of(
            "POST /owners/6/pets/5/visits?date=2024-05-06&description=dental%20cleaning",
            "GET /owners/6", "GET /api/owners/6", "GET /api/owners?city=Monona",
            "POST /owners/1/city?value=Middleton",
            "GET /owners/1", "GET /api/owners/1", "GET /owners?lastName=F&page=0", "GET /api/owners?city=Madison",
            "GET /api/owners?city=Middleton",
            "POST /vets/1/specialties/4",
            "GET /vets", "GET /api/vets");

    @ParameterizedTest
    @MethodSource("jdks")
    void everyAnswerEqualsTheUncachedRun_cachedReadsRunNoSql_writesShowAtOnce_checkAndStatsStayQuiet(Path jdk) {
        Path config = redis.config(dir, RULES);
        // check reads the jar without running it: it runs while the application serves the uncached rounds
        CompletableFuture<AgentCli.Result> check = CompletableFuture.supplyAsync(
                () -> AgentCli.run(jdk, "check", config.toString(), "--classpath", APP_JAR.toString()));
        long started = System.nanoTime();
        List<ServerProcess.Response> expected = new ArrayList<>();
        int sqlWithout;
        try (ServerProcess app = start(jdk, null)) {
            long ready = System.nanoTime();
            int before = sql(app);
            for (int round = 0; round < 2; round++) {
                CACHED_READS.forEach(request -> expected.add(app.request(request)));
            }
            WRITES_AND_READS.forEach(request -> expected.add(app.request(request)));
            sqlWithout = sql(app) - before;
            System.err.printf("[it] SpringBootPagesIT without the agent: started in %d ms, %d requests in %d ms%n",
                    millis(started, ready), expected.size(), millis(ready, System.nanoTime()));
        }
        assertFixtureAnswers(expected);

        AgentCli.Result checked = check.join();
        assertEquals(0, checked.exitCode(), checked.all());
        long startedWith = System.nanoTime();

        List<ServerProcess.Response> actual = new ArrayList<>();
        int sqlWith;
        try (ServerProcess app = start(jdk, config)) {
            long ready = System.nanoTime();
            int start = sql(app);
            CACHED_READS.forEach(request -> actual.add(app.request(request)));
            for (String key : List.of("owner:1", "owner:6", "owners:D:0:2", "owners:D:1:2", "city:Madison", "vets")) {
                assertTrue(redis.exists("cache-aside:" + key), key + " stored; output:\n" + app.output());
            }

            for (String request : CACHED_READS) {
                int before = sql(app);
                actual.add(app.request(request));
                assertEquals(before, sql(app), request + " in round two ran no SQL; output:\n" + app.output());
            }

            for (String request : WRITES_AND_READS) {
                actual.add(app.request(request));
            }
            sqlWith = sql(app) - start;
            System.err.printf("[it] SpringBootPagesIT with the agent: started in %d ms, %d requests in %d ms%n",
                    millis(startedWith, ready), actual.size(), millis(ready, System.nanoTime()));

            int outputBefore = app.output().length();
            long statsStarted = System.nanoTime();
            AgentCli.Result stats = AgentCli.run(jdk, "stats", String.valueOf(app.pid()));
            System.err.printf("[it] SpringBootPagesIT stats: %d ms%n", millis(statsStarted, System.nanoTime()));
            assertEquals(0, stats.exitCode(), stats.all());
            ForkedApp.sleep(500);
            assertEquals("", app.output().substring(outputBefore), "stats printed nothing into the application");
            for (String rule : List.of("owner-by-id", "owners-by-last-name", "owners-in-city", "vets")) {
                assertTrue(stats.stdout().matches("(?s).*\\n" + rule + "\\s+cache\\s.*\\son\\n.*"),
                        rule + " on in\n" + stats.stdout());
            }
            assertFalse(stats.stdout().contains("turned itself off"), stats.stdout());

            String output = app.output();
            for (String error : List.of("cannot be cached", "turned itself off", "VerifyError",
                    "NoClassDefFoundError", "NoSuchMethodError", "could not instrument", "Exception")) {
                assertFalse(output.contains(error), error + " in\n" + output);
            }
        }
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "answer " + i + " with the agent");
        }
        System.err.printf("[it] SpringBootPagesIT on %s: %d requests, %d SQL statements without the agent,"
                + " %d with it%n", jdk, expected.size(), sqlWithout, sqlWith);
        assertTrue(sqlWith < sqlWithout, sqlWith + " < " + sqlWithout);
    }

    /** What the fixture answers without the agent: the values the writes must show right after them. */
    private static void assertFixtureAnswers(List<ServerProcess.Response> answers) {
        int writes = 2 * CACHED_READS.size();
        ServerProcess.Response ownerPage = answers.get(CACHED_READS.indexOf("GET /owners/6"));
        assertEquals(200, ownerPage.status(), ownerPage.toString());
        assertTrue(ownerPage.text().matches("(?s).*<h3>Max</h3>.*<td>2023-01-02</td>.*<td>2023-01-01</td>"
                + ".*<h3>Samantha</h3>.*<td>2023-03-04</td>.*"), "pets by name, visits latest first: " + ownerPage);
        assertEquals(404, answers.get(CACHED_READS.indexOf("GET /api/owners/99")).status());
        assertEquals(302, answers.get(writes).status(), answers.get(writes).toString());
        assertTrue(answers.get(writes + 1).text().contains("<td>2024-05-06</td>\n      <td>dental cleaning</td>"),
                answers.get(writes + 1).toString());
        assertTrue(answers.get(writes + 2).text().contains("\"description\":\"dental cleaning\""),
                answers.get(writes + 2).toString());
        assertTrue(answers.get(writes + 5).text().contains("<td>Middleton</td>"), answers.get(writes + 5).toString());
        assertTrue(answers.get(writes + 6).text().contains("\"city\":\"Middleton\""), answers.get(writes + 6).toString());
        assertFalse(answers.get(writes + 8).text().contains("George"), answers.get(writes + 8).toString());
        assertTrue(answers.get(writes + 11).text().contains("<td>James Carter</td>\n    <td><span>anaesthesia </span>"),
                answers.get(writes + 11).toString());
        assertTrue(answers.get(writes + 12).text().contains("{\"id\":4,\"name\":\"anaesthesia\"}"),
                answers.get(writes + 12).toString());
    }

    /** Boot 4 needs Java 17: the oldest and newest JDKs from 17 on. */
    static List<Path> jdks() {
        List<Path> modern = Jdks.between(17, Integer.MAX_VALUE);
        return modern.size() <= 2 ? modern : List.of(modern.get(0), modern.get(modern.size() - 1));
    }

    private ServerProcess start(Path jdk, Path config) {
        List<String> command = new ArrayList<>(List.of(jdk.resolve("bin/java").toString(), "-Xshare:auto"));
        if (config != null) {
            command.add("-javaagent:" + ForkedApp.AGENT_JAR.toAbsolutePath() + "=" + config.toAbsolutePath());
        }
        command.addAll(List.of("-jar", APP_JAR.toAbsolutePath().toString()));
        ServerProcess app = ServerProcess.start(command, Map.of(), dir);
        try {
            String port = app.await(Pattern.compile("(?m)^READY (\\d+)$"), Duration.ofSeconds(240));
            return app.serving("http://127.0.0.1:" + port);
        } catch (RuntimeException | AssertionError e) {
            app.close();
            throw e;
        }
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    private static int sql(ServerProcess app) {
        Matcher matcher = Pattern.compile("\\{\"statements\":(\\d+)}").matcher(app.get("/sql").text());
        assertTrue(matcher.matches());
        return Integer.parseInt(matcher.group(1));
    }
}
