package dev.cacheaside.agent.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The discover command against a running fixture JVM started without the agent: while the fixture
 * reads users and now and then updates one, discovery proposes the reader with its mutator as the
 * evict rule, the file passes check, and afterwards the reader runs its original code.
 */
class DiscoverIT {

    private static final String REPOSITORY = "com.example.fixture.InMemoryUserRepository";

    @TempDir
    Path dir;

    static List<Path> jdks() {
        return Jdks.oldestAndNewest();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void discover_proposesTheReaderAndItsMutator_passesCheck_thenRestoresTheOriginalCode(Path jdk) throws Exception {
        ClassBytes bytes = ClassBytes.in(dir);
        try (ForkedApp app = ForkedApp.start(jdk, null, AttachIT.DYNAMIC)) {
            app.call("user", 1);
            String pid = String.valueOf(app.pid());
            Path out = dir.resolve("suggested.conf");
            CompletableFuture<AgentCli.Result> discovery = CompletableFuture.supplyAsync(() -> AgentCli.run(jdk,
                    "discover", pid, "--packages", "com.example.fixture", "--for", "20s", "--out", out.toString()));
            assertTrue(app.awaitStderr("discover: watching", Duration.ofSeconds(60)), app.stderr());
            // the workload runs from the start, so that a slow check below leaves discovery something to see
            CompletableFuture<Void> workload = CompletableFuture.runAsync(() -> {
                for (int round = 0; !discovery.isDone(); round++) {
                    for (int id = 1; id <= 4; id++) {
                        assertTrue(app.call("user", id).ok());
                    }
                    app.call("team", "odd");
                    app.call("color", "RED");
                    if (round % 4 == 3) {
                        app.call("update", 1 + (round / 4) % 4, "renamed" + round);
                    }
                }
            });
            assertEquals("woven", bytes.of(jdk, app.pid(), REPOSITORY), "the reader carries the advice while discovery runs");

            AgentCli.Result status = AgentCli.run(jdk, "discover", pid, "--status");
            assertEquals(0, status.exitCode(), status.all());
            assertTrue(status.stdout().contains("class(es) watched"), status.all());

            workload.join();
            AgentCli.Result result = discovery.join();
            assertEquals(0, result.exitCode(), result.all());
            assertTrue(result.stdout().contains("discover PID " + pid + ": "), "progress lines: " + result.all());
            assertTrue(result.stdout().contains("Wrote " + out), result.all());

            String suggested = Files.readString(out);
            Matcher reader = Pattern.compile("(?m)^    ([a-z-]+) \\{ method = \"" + Pattern.quote(REPOSITORY
                    + "#findById(long)") + "\", key = \"([^\"]+)\"").matcher(suggested);
            assertTrue(reader.find(), suggested);
            assertEquals(reader.group(1) + ":{0}", reader.group(2), suggested);
            assertTrue(Pattern.compile("(?m)^    # .*calls/s, p50 .*changed \\d+ time\\(s\\), each after"
                    + " InMemoryUserRepository#update\\(User\\)").matcher(suggested).find(), suggested);
            assertTrue(suggested.contains("{ method = \"" + REPOSITORY + "#update(com.example.fixture.User)\", keys = [\""
                    + reader.group(1) + ":{0.id}\"]"), suggested);

            AgentCli.Result check = AgentCli.run(jdk, "check", out.toString(), "--classpath", ForkedApp.FIXTURE_CLASSES);
            assertEquals(0, check.exitCode(), suggested + "\n" + check.all());

            assertEquals("original", bytes.of(jdk, app.pid(), REPOSITORY), "after discovery the reader runs its own code");
            int before = app.runs("findById");
            assertTrue(app.call("user", 2).ok());
            assertEquals(before + 1, app.runs("findById"));
            assertTrue(app.awaitStderr("every watched method has its original code back", Duration.ofSeconds(10)),
                    app.stderr());
        }
    }

    @org.junit.jupiter.api.Test
    void discoverUnderJavaagent_writesTheFileWhenTheTimeIsUp() throws Exception {
        Path out = dir.resolve("from-premain.conf");
        try (ForkedApp app = ForkedApp.start(Jdks.current(), null, "-javaagent:" + ForkedApp.AGENT_JAR.toAbsolutePath()
                + "=discover:packages=com.example.fixture;for=4s;out=" + out)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (int round = 0; !Files.exists(out) && System.nanoTime() < deadline; round++) {
                assertTrue(app.call("user", 1 + round % 3).ok());
                if (round % 5 == 4) {
                    app.call("update", 1 + (round / 5) % 3, "renamed" + round);
                }
            }
            assertTrue(app.awaitStderr("discover: wrote the proposed rules to " + out, Duration.ofSeconds(10)),
                    app.stderr());
            String suggested = Files.readString(out);
            assertTrue(suggested.contains("method = \"" + REPOSITORY + "#findById(long)\""), suggested);
            assertTrue(suggested.contains("method = \"" + REPOSITORY + "#update(com.example.fixture.User)\""), suggested);
        }
    }
}
