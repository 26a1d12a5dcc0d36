package dev.cacheaside.agent.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsReaderTest {

    @AfterEach
    void clearOverrides() {
        System.clearProperty("cache-aside.key-prefix");
        System.clearProperty("cache-aside.cache.user-by-id.ttl");
    }

    @Test
    void read_fullConfig_appliesValuesAndDefaults() throws Exception {
        AgentSettings settings = AgentSettings.load(fixture("full.conf"));

        assertTrue(settings.problems().isEmpty(), settings.problems().toString());
        assertEquals("app:", settings.keyPrefix());
        assertEquals(Duration.ofSeconds(30), settings.statsInterval());
        assertEquals("alice", settings.redis().user());
        assertEquals("s3cret", settings.redis().password());
        assertEquals(2, settings.redis().uri().database());
        assertEquals(Duration.ofMillis(150), settings.redis().timeout());
        assertEquals("redis://alice:***@localhost:6380/2", settings.redis().describe());
        assertEquals("127.0.0.1:9464", settings.prometheus().describe());

        CacheRule byId = settings.cacheRules().get("user-by-id");
        assertEquals(Duration.ofMinutes(5), byId.ttl());
        assertEquals(0.10, byId.ttlJitter(), 1e-9);
        assertFalse(byId.cacheNulls());
        assertEquals(1024 * 1024, byId.maxValueSize());
        assertEquals(CacheMode.CACHE, byId.mode());
        assertTrue(byId.metrics());

        CacheRule byTeam = settings.cacheRules().get("users-by-team");
        assertEquals("users-by-team:{args}", byTeam.key().source());
        assertEquals(Duration.ofMinutes(2), byTeam.ttl());
        assertTrue(byTeam.cacheNulls());
        assertEquals(CacheMode.SHADOW, byTeam.mode());
        assertEquals(0.01, byTeam.auditRate(), 1e-9);
        assertFalse(byTeam.metrics());
        assertTrue(byTeam.method().anyParameters());

        EvictRule update = settings.evictRules().get("user-update");
        assertEquals(List.of("com.acme.User"), update.method().parameterTypes());
        assertEquals("user:{0.id}", update.keys().get(0).source());
        assertEquals(List.of("users-by-team"), update.caches());
        assertEquals(Duration.ofMillis(500), update.repeatAfter());
    }

    @Test
    void read_theContractsExample_appliesRefreshAheadStaleIfErrorAndBulk() throws Exception {
        AgentSettings settings = AgentSettings.load(fixture("contract-example.conf"));

        assertTrue(settings.problems().isEmpty(), settings.problems().toString());
        assertEquals(List.of("user-by-id", "users-by-ids", "users-by-team"),
                List.copyOf(settings.cacheRules().keySet()));
        assertEquals(List.of("user-delete", "user-update"), List.copyOf(settings.evictRules().keySet()));
        FreshnessSettings byId = settings.cacheRules().get("user-by-id").freshness();
        assertEquals(0.20, byId.refreshAhead(), 1e-9);
        assertEquals(Duration.ofHours(1), byId.staleIfError());
        assertEquals(Duration.ofMinutes(30), byId.refreshStopAfter());
        assertTrue(byId.readsTtl());
        FreshnessSettings byTeam = settings.cacheRules().get("users-by-team").freshness();
        assertEquals(0, byTeam.refreshAhead(), 1e-9);
        assertEquals(Duration.ZERO, byTeam.staleIfError());
        assertFalse(byTeam.readsTtl(), "rules without either read entries with a plain GET");
        CacheRule bulk = settings.cacheRules().get("users-by-ids");
        assertEquals(0, bulk.bulk().argument());
        assertEquals("user:{0}", bulk.key().source(), "each id's key, as the single-id rule renders it");
        assertEquals("user:{0.id}", bulk.bulk().resultKey().source());
        assertNull(settings.cacheRules().get("user-by-id").bulk());
    }

    @Test
    void read_bulkKeysThatDoNotFit_areErrorsOfTheirRule() throws Exception {
        Path file = Files.createTempFile("bulk", ".conf");
        Files.writeString(file, String.join("\n",
                "cache-aside.cache {",
                "  two-lists { method = \"a.B#c\", key = \"u:{0[*]}:{1[*]}\", result-key = \"u:{result[*].id}\" }",
                "  stray-result-key { method = \"a.B#d\", key = \"u:{0}\", result-key = \"u:{result[*].id}\" }",
                "  result-of-argument { method = \"a.B#e\", key = \"u:{0[*]}\", result-key = \"u:{1}\" }",
                "}"));
        AgentSettings settings = AgentSettings.load(file);
        assertTrue(settings.cacheRules().isEmpty(), settings.cacheRules().keySet().toString());
        String problems = settings.problems().toString();
        assertTrue(problems.contains("two-lists.key: a bulk key names the elements of one argument only"), problems);
        assertTrue(problems.contains("stray-result-key.result-key: result-key belongs to bulk rules"), problems);
        assertTrue(problems.contains("result-key names each returned element once"), problems);
    }

    @Test
    void read_refreshAheadOfAWholeTtl_isAnError() throws Exception {
        Path file = Files.createTempFile("refresh", ".conf");
        Files.writeString(file, "cache-aside.cache.r { method = \"a.B#c\", refresh-ahead = 100% }");
        AgentSettings settings = AgentSettings.load(file);
        assertTrue(settings.cacheRules().isEmpty());
        assertTrue(settings.problems().toString().contains("refresh-ahead: must be below 100%"),
                settings.problems().toString());
    }

    @Test
    void read_maxStaleRatio_isNoneByDefault_andReadFromDefaultsAndRules(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("stale.conf");
        Files.writeString(file, String.join("\n",
                "cache-aside {",
                "  defaults { max-stale-ratio = 5% }",
                "  cache {",
                "    by-default { method = \"a.B#c\" }",
                "    own { method = \"a.B#d\", max-stale-ratio = 0.2, on-stale = shadow, audit-rate = 1 }",
                "    unlimited { method = \"a.B#e\", max-stale-ratio = none }",
                "  }",
                "}"));
        AgentSettings settings = AgentSettings.load(file);

        assertTrue(settings.problems().isEmpty(), settings.problems().toString());
        StaleLimit byDefault = settings.cacheRules().get("by-default").staleLimit();
        assertEquals(0.05, byDefault.maxRatio(), 1e-9);
        assertEquals(StaleLimit.Action.LOG, byDefault.action());
        StaleLimit own = settings.cacheRules().get("own").staleLimit();
        assertEquals(0.2, own.maxRatio(), 1e-9);
        assertEquals(StaleLimit.Action.SHADOW, own.action());
        assertNull(settings.cacheRules().get("unlimited").staleLimit());
        assertNull(AgentSettings.load(fixture("full.conf")).cacheRules().get("user-by-id").staleLimit(),
                "no limit unless one is set");
    }

    @Test
    void read_badMaxStaleRatioOrOnStale_areErrorsOfTheirRule(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("stale.conf");
        Files.writeString(file, String.join("\n",
                "cache-aside.cache {",
                "  good { method = \"a.B#c\", max-stale-ratio = 0, on-stale = log }",
                "  over-one { method = \"a.B#d\", max-stale-ratio = 1.5 }",
                "  words { method = \"a.B#e\", max-stale-ratio = lots }",
                "  action { method = \"a.B#f\", max-stale-ratio = 1%, on-stale = disable }",
                "  misspelt { method = \"a.B#g\", max-stale-ration = 1% }",
                "}"));
        AgentSettings settings = AgentSettings.load(file);
        List<String> messages = settings.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());

        assertEquals(List.of("good"), List.copyOf(settings.cacheRules().keySet()));
        assertEquals(0, settings.cacheRules().get("good").staleLimit().maxRatio(), 1e-9);
        assertContains(messages, "stale.conf: 3: cache-aside.cache.over-one.max-stale-ratio: must be between 0% and"
                + " 100% (0 to 1), was '1.5'");
        assertContains(messages, "stale.conf: 4: cache-aside.cache.words.max-stale-ratio: must be a fraction such as"
                + " 0.01 or '1%', was 'lots'");
        assertContains(messages, "stale.conf: 5: cache-aside.cache.action.on-stale: must be log or shadow, was"
                + " 'disable'");
        assertContains(messages, "stale.conf: 6: cache-aside.cache.misspelt.max-stale-ration: unknown key, did you"
                + " mean 'max-stale-ratio'?");
        assertTrue(settings.skippedRules().containsAll(List.of("cache.over-one", "cache.words", "cache.action",
                "cache.misspelt")), settings.skippedRules().toString());
    }

    @Test
    void read_maxStaleRatioWithoutAudits_isAWarning(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("stale.conf");
        Files.writeString(file, String.join("\n",
                "cache-aside {",
                "  defaults { max-stale-ratio = 5% }",
                "  cache {",
                "    unaudited { method = \"a.B#c\", max-stale-ratio = 1% }",
                "    from-defaults { method = \"a.B#d\" }",
                "    audited { method = \"a.B#e\", max-stale-ratio = 1%, audit-rate = 0.01 }",
                "  }",
                "}"));
        AgentSettings settings = AgentSettings.load(file);
        List<String> messages = settings.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());

        assertEquals(List.of("audited", "from-defaults", "unaudited"), List.copyOf(settings.cacheRules().keySet()));
        assertEquals(1, messages.size(), messages.toString());
        assertTrue(settings.problems().get(0).isWarning());
        assertContains(messages, "stale.conf: 4: cache-aside.cache.unaudited.max-stale-ratio: has no effect while"
                + " audit-rate is 0");
    }

    @Test
    void read_ruleErrors_reportFileLineAndPath_andSkipOnlyThoseRules() throws Exception {
        AgentSettings settings = AgentSettings.load(fixture("rule-errors.conf"));
        List<String> messages = settings.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());

        assertEquals(List.of("good"), List.copyOf(settings.cacheRules().keySet()));
        assertEquals(List.of("unknown-cache"), List.copyOf(settings.evictRules().keySet()));
        assertContains(messages, "rule-errors.conf: 9: cache-aside.cache.negative-ttl.ttl: must be positive, was '-5s'");
        assertContains(messages, "rule-errors.conf: 13: cache-aside.cache.misspelt.tll: unknown key, did you mean 'ttl'?");
        assertContains(messages, "rule-errors.conf: 17: cache-aside.cache.missing-argument.key: '{1}' names argument 1"
                + " but com.acme.UserDao#findByTeam(String) has 1 parameter(s)");
        assertContains(messages, "rule-errors.conf: 20: cache-aside.cache.bad-method.method: expected "
                + "'fully.qualified.Type#method'");
        assertContains(messages, "cache-aside.cache.result-in-cache.key: '{result...}' is for evict rules only");
        assertContains(messages, "cache-aside.cache.duplicate.method: method com.acme.UserDao#findById(long) already"
                + " has rule 'cache.good'");
        assertContains(messages, "cache-aside.evict.unknown-cache.caches: no cache rule named 'users-by-teem'");
        assertContains(messages, "cache-aside.evict.nothing-to-evict: an evict rule needs 'keys' or 'caches'");
        assertTrue(settings.skippedRules().containsAll(List.of("cache.negative-ttl", "cache.misspelt",
                "cache.missing-argument", "cache.bad-method", "cache.result-in-cache", "cache.duplicate",
                "evict.nothing-to-evict")), settings.skippedRules().toString());
    }

    @Test
    void read_errorOutsideRules_isInvalidWithEveryProblem() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> AgentSettings.load(fixture("global-error.conf")));
        List<String> messages = e.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());

        assertContains(messages, "global-error.conf: 3: cache-aside.redis.uri: scheme must be redis:// or rediss://");
        assertContains(messages, "global-error.conf: 4: cache-aside.redis.timout: unknown key, did you mean 'timeout'?");
        assertContains(messages, "global-error.conf: 6: cache-aside.prometheus.port: must be 0 (off) or a TCP port up"
                + " to 65535, was 70000");
    }

    @Test
    void read_syntaxError_namesFileAndLine() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> AgentSettings.load(fixture("syntax-error.conf")));

        assertTrue(e.getMessage().contains("syntax-error.conf: 5"), e.getMessage());
    }

    @Test
    void read_missingFile_saysNotFound() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> AgentSettings.load(Path.of("/nonexistent/agent.conf")));

        assertEquals("/nonexistent/agent.conf: config file not found", e.getMessage());
    }

    @Test
    void read_fileWithoutRoot_saysSo() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> AgentSettings.load(fixture("no-root.conf")));

        assertTrue(e.getMessage().endsWith("has no 'cache-aside { ... }' block"), e.getMessage());
    }

    @Test
    void read_include_overridesOneFieldAndWatchesBothFiles() throws Exception {
        AgentSettings settings = AgentSettings.load(fixture("including.conf"));

        CacheRule byId = settings.cacheRules().get("user-by-id");
        assertEquals(Duration.ofMinutes(7), byId.ttl());
        assertEquals("user:{0}", byId.key().source());
        assertTrue(settings.sourceFiles().contains(fixture("base.conf").toAbsolutePath().normalize()),
                settings.sourceFiles().toString());
        assertTrue(settings.sourceFiles().contains(fixture("including.conf").toAbsolutePath().normalize()));
    }

    @Test
    void read_systemProperties_overrideTheFile() throws Exception {
        System.setProperty("cache-aside.key-prefix", "override:");
        System.setProperty("cache-aside.cache.user-by-id.ttl", "42s");

        AgentSettings settings = AgentSettings.load(fixture("full.conf"));

        assertEquals("override:", settings.keyPrefix());
        assertEquals(Duration.ofSeconds(42), settings.cacheRules().get("user-by-id").ttl());
    }

    @Test
    void read_tlsVerifyHostname_isOnByDefault_andOffOnlyWhenSaid(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        assertTrue(AgentSettings.load(fixture("full.conf")).redis().tls().verifyHostname());

        Path off = dir.resolve("off.conf");
        java.nio.file.Files.writeString(off, "cache-aside {\n redis.uri = \"rediss://redis.example:6380\"\n"
                + " redis.tls.verify-hostname = false\n}\n");
        assertFalse(AgentSettings.load(off).redis().tls().verifyHostname());

        Path bad = dir.resolve("bad.conf");
        java.nio.file.Files.writeString(bad, "cache-aside {\n redis.tls.verify-hostname = maybe\n}\n");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> AgentSettings.load(bad));
        List<String> messages = e.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());
        assertTrue(messages.stream().anyMatch(m -> m.endsWith("bad.conf: 2: cache-aside.redis.tls.verify-hostname: verify-hostname has type STRING rather than BOOLEAN")),
                messages.toString());
    }

    /** The known keys come from reference.conf, so keys without a default must be there too (as null). */
    @Test
    void read_keysWithoutADefault_areKnown_andTheirMisspellingsAreNot(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path good = dir.resolve("good.conf");
        java.nio.file.Files.writeString(good, "cache-aside {\n redis { user = app, password = s3cret,\n"
                + "  sentinel { master = mymaster, nodes = [\"127.0.0.1:26379\"] },\n"
                + "  tls { trust-store = /t.p12, trust-store-password = a, key-store = /k.p12, key-store-password = b } }\n}\n");
        AgentSettings settings = AgentSettings.load(good);
        assertTrue(settings.problems().isEmpty(), settings.problems().toString());
        assertEquals("app", settings.redis().user());
        assertEquals("mymaster", settings.redis().sentinelMaster());
        assertEquals("/t.p12", settings.redis().tls().trustStore());

        Path bad = dir.resolve("bad.conf");
        java.nio.file.Files.writeString(bad, "cache-aside {\n redis.pasword = s3cret\n redis.clustr-nodes = []\n}\n");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> AgentSettings.load(bad));
        List<String> messages = e.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());
        assertContains(messages, "bad.conf: 2: cache-aside.redis.pasword: unknown key, did you mean 'password'?");
        assertContains(messages, "bad.conf: 3: cache-aside.redis.clustr-nodes: unknown key, did you mean 'cluster-nodes'?");
    }

    @Test
    void read_problemOfNoRule_leavesRulesAlone() throws Exception {
        AgentSettings settings = AgentSettings.load(fixture("base.conf"));

        assertTrue(settings.problems().isEmpty());
        assertNull(settings.redis().password());
        assertEquals("redis://127.0.0.1:6379", settings.redis().describe());
    }

    private static void assertContains(List<String> messages, String fragment) {
        assertTrue(messages.stream().anyMatch(message -> message.contains(fragment)),
                "no message contains\n  " + fragment + "\nmessages:\n  " + String.join("\n  ", messages));
    }

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(SettingsReaderTest.class.getResource("/config/" + name).toURI());
    }
}
