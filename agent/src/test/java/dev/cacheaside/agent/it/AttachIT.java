package dev.cacheaside.agent.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The attach command against a running fixture JVM that was started without the agent. */
class AttachIT extends RedisTestBase {

    /** JDK 21+ warn without it; Java 8 does not know it, hence the flag before it (the README's advice). */
    static final String[] DYNAMIC = {"-XX:+IgnoreUnrecognizedVMOptions", "-XX:+EnableDynamicAgentLoading"};

    static List<Path> oldestAndNewest() {
        return Jdks.oldestAndNewest();
    }

    /**
     * Issue 14, finding 17: the report after an attach travels over JMX, not through a file in the command's
     * temporary directory, which a target under systemd's PrivateTmp or in another container cannot see; here the
     * command's temporary directory does not even exist.
     */
    @ParameterizedTest
    @MethodSource("oldestAndNewest")
    void attach_commandWithoutAUsableTmp_stillPrintsTheStatus(Path jdk) {
        try (ForkedApp app = ForkedApp.start(jdk, null, DYNAMIC)) {
            List<String> noTmp = List.of("-Djava.io.tmpdir=" + dir.resolve("no-such-tmp"));
            AgentCli.Result attached = AgentCli.runWith(jdk, noTmp, "attach", String.valueOf(app.pid()),
                    redis.config(dir, CacheAsideIT.RULES).toString());
            assertEquals(0, attached.exitCode(), attached.all());
            assertTrue(attached.stdout().contains("cache-aside agent: active"), attached.all());
            assertTrue(attached.stdout().matches("(?s).*user-by-id\\s+cache\\s+0\\s+0.*"), attached.all());

            app.call("user", 1);
            app.call("user", 1);
            AgentCli.Result status = AgentCli.runWith(jdk, noTmp, "attach", String.valueOf(app.pid()), "--status");
            assertEquals(0, status.exitCode(), status.all());
            assertTrue(status.stdout().matches("(?s).*user-by-id\\s+cache\\s+1\\s+1\\s+50\\.0%.*"), status.stdout());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void attach_cachesFromTheNextCall_reattachReplacesTheConfig_disableRestoresTheMethods(Path jdk) {
        try (ForkedApp app = ForkedApp.start(jdk, null, DYNAMIC)) {
            app.call("user", 1);
            app.call("user", 1);
            assertEquals(2, app.runs("findById"));

            AgentCli.Result attached = AgentCli.run(jdk, "attach", String.valueOf(app.pid()),
                    redis.config(dir, CacheAsideIT.RULES).toString());
            assertEquals(0, attached.exitCode(), attached.all());
            assertTrue(attached.stdout().contains("agent loaded into PID " + app.pid()), attached.all());
            assertTrue(attached.stdout().contains("user-by-id"), attached.all());

            app.call("user", 1);
            app.call("user", 1);
            assertEquals(3, app.runs("findById"), "one miss, then a hit");

            String shorterTtl = CacheAsideIT.RULES.replace("key = \"user:{0}\", ttl = 5m", "key = \"user:{0}\", ttl = 42s");
            AgentCli.Result again = AgentCli.run(jdk, "attach", String.valueOf(app.pid()),
                    redis.config(dir, shorterTtl).toString());
            assertEquals(0, again.exitCode(), again.all());
            assertTrue(again.stdout().contains("ttl=42s"), again.all());
            app.call("user", 2);
            app.call("user", 2);
            assertEquals(4, app.runs("findById"), "re-attached: still cached once, not twice");
            long ttl = redis.ttl("cache-aside:user:2");
            assertTrue(ttl > 0 && ttl <= 42, "ttl " + ttl);

            AgentCli.Result status = AgentCli.run(jdk, "attach", String.valueOf(app.pid()), "--status");
            assertEquals(0, status.exitCode(), status.all());
            assertTrue(status.stdout().matches("(?s).*user-by-id\\s+cache\\s+2\\s+2\\s+50\\.0%.*"), status.stdout());

            AgentCli.Result disabled = AgentCli.run(jdk, "attach", String.valueOf(app.pid()), "--disable");
            assertEquals(0, disabled.exitCode(), disabled.all());
            app.call("user", 1);
            app.call("user", 1);
            assertEquals(6, app.runs("findById"), "disabled: every call runs the method");
            assertTrue(app.awaitStderr("disabled: every instrumented method has its original code back",
                    java.time.Duration.ofSeconds(5)), app.stderr());
            assertTrue(AgentCli.run(jdk, "attach", String.valueOf(app.pid()), "--status").stdout()
                    .contains("not active"));

            AgentCli.Result reenabled = AgentCli.run(jdk, "attach", String.valueOf(app.pid()),
                    redis.config(dir, CacheAsideIT.RULES).toString());
            assertEquals(0, reenabled.exitCode(), reenabled.all());
            app.call("user", 3);
            app.call("user", 3);
            assertEquals(7, app.runs("findById"), "attached again after --disable");
        }
    }

    @Test
    void attach_errorsSayWhatIsWrong() {
        Path jdk = Jdks.current();
        AgentCli.Result noProcess = AgentCli.run(jdk, "attach", "999999999");
        assertEquals(1, noProcess.exitCode());
        assertTrue(noProcess.stderr().contains("no process with PID 999999999"), noProcess.all());

        AgentCli.Result notAPid = AgentCli.run(jdk, "attach", "abc");
        assertEquals(1, notAPid.exitCode());
        assertTrue(notAPid.stderr().contains("'abc' is not a process id"), notAPid.all());

        try (ForkedApp app = ForkedApp.start(jdk, null, DYNAMIC)) {
            AgentCli.Result missingConfig = AgentCli.run(jdk, "attach", String.valueOf(app.pid()),
                    dir.resolve("absent.conf").toString());
            assertEquals(1, missingConfig.exitCode());
            assertTrue(missingConfig.stderr().contains("absent.conf: config file not found"), missingConfig.all());
        }
        try (ForkedApp app = ForkedApp.start(jdk, null, "-XX:+DisableAttachMechanism")) {
            AgentCli.Result refused = AgentCli.run(jdk, "attach", String.valueOf(app.pid()), "--status");
            assertEquals(1, refused.exitCode());
            assertTrue(refused.stderr().contains("cannot attach to PID " + app.pid()), refused.all());
            assertFalse(refused.stderr().contains("Exception in thread"), refused.all());
        }
    }

    @Test
    void attach_fromAJavaRuntimeWithoutTheAttachModule_saysUseAJdk() throws Exception {
        Path runtime = dir.resolve("jre");
        Process jlink = new ProcessBuilder(Jdks.current().resolve("bin/jlink").toString(), "--add-modules",
                "java.base,java.instrument,java.logging", "--output", runtime.toString()).inheritIO().start();
        assertEquals(0, jlink.waitFor());
        try (ForkedApp app = ForkedApp.start(Jdks.current(), null, DYNAMIC)) {
            AgentCli.Result result = AgentCli.run(runtime, "attach", String.valueOf(app.pid()), "--status");

            assertEquals(1, result.exitCode(), result.all());
            assertTrue(result.stderr().contains("this Java runtime has no attach API (the jdk.attach module, or"
                    + " lib/tools.jar on Java 8): run the command with a JDK's java"), result.all());
        }
        // the same trimmed runtime under -javaagent: one line, and the application runs uncached
        try (ForkedApp app = ForkedApp.start(runtime, redis.config(dir, CacheAsideIT.RULES))) {
            assertEquals("User{id=1,name=user1,team=odd,tags=[t1]}", app.call("user", 1).value());
            app.call("user", 1);
            assertEquals(2, app.runs("findById"));
            assertEquals(1, app.stderr().split("\\[cache-aside]", -1).length - 1, app.stderr());
            assertTrue(app.stderr().contains("[cache-aside] ERROR the agent could not start, the application runs"
                    + " without caching: this Java runtime lacks a class it needs"), app.stderr());
        }
    }

    @Test
    void attach_fromAJava8JreWithoutToolsJar_saysUseAJdk_andFromItsJdkWorks() throws Exception {
        Path jdk8 = Jdks.all().stream().filter(jdk -> Jdks.feature(jdk) == 8).findFirst().orElse(null);
        Assumptions.assumeTrue(jdk8 != null, "needs a JDK 8 in -Dit.jdks");
        Path jre = dir.resolve("jre8");
        Process copy = new ProcessBuilder("cp", "-a", jdk8.resolve("jre").toString(), jre.toString())
                .inheritIO().start();
        assertEquals(0, copy.waitFor());
        try (ForkedApp app = ForkedApp.start(jdk8, null)) {
            AgentCli.Result fromJre = AgentCli.run(jre, "attach", String.valueOf(app.pid()), "--status");
            AgentCli.Result fromJdk = AgentCli.run(jdk8, "attach", String.valueOf(app.pid()),
                    redis.config(dir, CacheAsideIT.RULES).toString());

            assertEquals(1, fromJre.exitCode(), fromJre.all());
            assertTrue(fromJre.stderr().startsWith("cache-aside-agent: this Java runtime has no attach API (the"
                    + " jdk.attach module, or lib/tools.jar on Java 8)"), fromJre.all());
            assertEquals(1, fromJre.stderr().trim().split("\n").length, "one line: " + fromJre.stderr());
            assertEquals(0, fromJdk.exitCode(), fromJdk.all());
            app.call("user", 1);
            app.call("user", 1);
            assertEquals(1, app.runs("findById"), "attached through tools.jar: cached");
        }
    }

    @Test
    void attach_toAJvmOfAnotherUser_namesBothUsers() throws Exception {
        Path runuser = Path.of("/usr/sbin/runuser");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(runuser),
                "needs root and runuser to start a JVM as another user");
        Path classes = readableByAll(Path.of(ForkedApp.FIXTURE_CLASSES));
        Process other = new ProcessBuilder(runuser.toString(), "-u", "nobody", "--",
                Jdks.current().resolve("bin/java").toString(), "-cp", classes.toString(),
                "com.example.fixture.FixtureMain").start();
        try {
            assertTrue(new String(other.getInputStream().readNBytes(5)).startsWith("READY"));
            long pid = other.descendants().findFirst().map(ProcessHandle::pid).orElse(other.pid());

            AgentCli.Result result = AgentCli.run(Jdks.current(), "attach", String.valueOf(pid), "--status");

            assertEquals(1, result.exitCode(), result.all());
            assertTrue(result.stderr().contains("belongs to user 'nobody', this command runs as 'root'"), result.all());
        } finally {
            other.descendants().forEach(ProcessHandle::destroyForcibly);
            other.destroyForcibly();
            try (Stream<Path> files = Files.walk(classes)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * A copy of the fixture classes that another user can read: the checkout may sit below a directory
     * only its owner may enter (a mktemp directory, a home directory).
     */
    private static Path readableByAll(Path classes) throws IOException {
        Path copy = Files.createTempDirectory(Path.of("/tmp"), "fixture-classes");
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(classes.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(source, target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
        return copy;
    }

    @Test
    void helpAndVersion() {
        AgentCli.Result help = AgentCli.run(Jdks.current(), "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().contains("attach PID --disable"), help.stdout());
        AgentCli.Result version = AgentCli.run(Jdks.current(), "--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.stdout().startsWith("cache-aside-agent 0."), version.stdout());
    }
}
