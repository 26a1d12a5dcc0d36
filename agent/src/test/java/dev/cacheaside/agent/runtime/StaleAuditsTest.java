package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.CacheMode;
import dev.cacheaside.agent.config.CacheRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaleAuditsTest {

    private static final String F = "com.example.fixture.";

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(5_000_000L);
    private final AtomicReference<RuleSet> rules = new AtomicReference<>();
    private final List<String> shadowed = new ArrayList<>();
    private final RuleStats stats = new RuleStats(clock::get);

    private StaleAudits audits() {
        return new StaleAudits(rules::get, (rule, version) -> {
            RuleSet next = rules.get().withShadow(rule, version, () -> version + 1);
            if (next == null) {
                return false;
            }
            shadowed.add(rule);
            rules.set(next);
            return true;
        });
    }

    private CacheRule load(String ruleOptions, String evictRules) throws Exception {
        Path file = dir.resolve("agent.conf");
        Files.write(file, ("cache-aside {\n cache.user-by-id { method = \"" + F + "UserRepository#findById\","
                + " key = \"user:{0}\", audit-rate = 1, " + ruleOptions + " }\n evict { " + evictRules + " }\n}\n")
                .getBytes("UTF-8"));
        AgentSettings settings = AgentSettings.load(file);
        assertTrue(settings.problems().isEmpty(), settings.problems().toString());
        rules.set(new RuleSet(1, settings));
        return settings.cacheRules().get("user-by-id");
    }

    @Test
    void record_belowTwentyAudits_neverBreaches() throws Exception {
        CacheRule rule = load("max-stale-ratio = 0, on-stale = shadow", "");
        StaleAudits staleAudits = audits();
        for (int i = 0; i < StaleAudits.MIN_AUDITS - 1; i++) {
            assertNull(staleAudits.record(rule, 1, stats, true));
        }
        assertTrue(shadowed.isEmpty());
        assertEquals(StaleAudits.MIN_AUDITS - 1, stats.audits());
        assertEquals(StaleAudits.MIN_AUDITS - 1, stats.auditMismatches());
        assertEquals("on", stats.state());

        assertNotNull(staleAudits.record(rule, 1, stats, true), "the twentieth audit breaches");
        assertEquals(List.of("user-by-id"), shadowed);
    }

    @Test
    void record_ratioAtTheLimit_isNoBreach_justOverIs() throws Exception {
        CacheRule rule = load("max-stale-ratio = 10%", "");
        StaleAudits staleAudits = audits();
        for (int i = 0; i < 18; i++) {
            staleAudits.record(rule, 1, stats, false);
        }
        assertNull(staleAudits.record(rule, 1, stats, true));
        assertNull(staleAudits.record(rule, 1, stats, true), "2 of 20 is 10%, not over it");
        assertEquals(0.10, stats.staleRatio(), 1e-9);
        assertNotNull(staleAudits.record(rule, 1, stats, true), "3 of 21 is over 10%");
    }

    @Test
    void record_onStaleShadow_switchesTheRuleToShadowOnce_andNamesTheCoveringEvictRules() throws Exception {
        CacheRule rule = load("max-stale-ratio = 0.05, on-stale = shadow",
                "user-update { method = \"" + F + "UserRepository#update\", keys = [\"user:{0.id}\"] }\n"
                        + " other { method = \"" + F + "Catalog#clear\", keys = [\"product:{0}\"] }");
        StaleAudits staleAudits = audits();
        String warning = null;
        for (int i = 0; i < 20 && warning == null; i++) {
            warning = staleAudits.record(rule, 1, stats, true);
        }

        assertNotNull(warning);
        assertTrue(warning.startsWith("rule 'user-by-id' (" + dir.resolve("agent.conf") + ": 2): stale-hit ratio 100.0% (20 stale of 20 audits"
                + " in the last 5 minutes), over max-stale-ratio 5.0%"), warning);
        assertTrue(warning.contains("Evict rules that cover this cache, which may miss a key or a mutator: 'user-update'"
                + " (" + F + "UserRepository#update)"), warning);
        assertFalse(warning.contains("'other'"), warning);
        assertTrue(warning.contains("The rule is now in shadow mode"), warning);
        assertEquals("shadow", stats.state());
        assertTrue(stats.shadowReason().startsWith("stale-hit ratio 100.0%"), stats.shadowReason());
        assertEquals(CacheMode.SHADOW, rules.get().cacheRule("user-by-id").mode());
        assertEquals(2, rules.get().version());
        assertTrue(stats.summary().endsWith(" audits=20 stale-ratio=100.0% (20 of 20 audits in the last 5 min)"
                + " state=shadow (too many stale hits, until the config is reloaded)"), stats.summary());
        assertNull(staleAudits.record(rule, 2, stats, true), "logged once: the rule already is in shadow mode");
        assertNull(staleAudits.record(rule, 1, stats, true), "an audit of the rules before the switch changes nothing");
        assertEquals(List.of("user-by-id"), shadowed);
        assertEquals(2, rules.get().version());
    }

    @Test
    void record_onStaleLog_warnsOncePerWindow_andKeepsCaching() throws Exception {
        CacheRule rule = load("max-stale-ratio = 0.05",
                "all-users { method = \"" + F + "UserRepository#update\", caches = [\"user-by-id\"] }");
        StaleAudits staleAudits = audits();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String warning = staleAudits.record(rule, 1, stats, true);
            if (warning != null) {
                warnings.add(warning);
            }
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("'all-users'"), warnings.get(0));
        assertTrue(warnings.get(0).contains("The rule keeps caching (on-stale = log)"), warnings.get(0));
        assertTrue(shadowed.isEmpty());
        assertEquals("on", stats.state());

        clock.addAndGet(StaleWindow.SPAN_MILLIS);
        for (int i = 0; i < 19; i++) {
            assertNull(staleAudits.record(rule, 1, stats, true), "the old audits aged out: too few again");
        }
        assertNotNull(staleAudits.record(rule, 1, stats, true), "a window later, the warning repeats");
    }

    @Test
    void record_withoutCoveringEvictRule_saysSoAndSuggestsDiscover() throws Exception {
        CacheRule rule = load("max-stale-ratio = 0.05",
                "other { method = \"" + F + "Catalog#clear\", keys = [\"product:{0}\"] }");
        StaleAudits staleAudits = audits();
        String warning = null;
        for (int i = 0; i < 20; i++) {
            warning = staleAudits.record(rule, 1, stats, true);
        }
        assertNotNull(warning);
        assertTrue(warning.contains("No evict rule covers this cache"), warning);
        assertTrue(warning.contains("run `discover`"), warning);
    }

    @Test
    void record_withoutLimit_countsButNeverBreaches() throws Exception {
        CacheRule rule = load("mode = cache", "");
        StaleAudits staleAudits = audits();
        for (int i = 0; i < 50; i++) {
            assertNull(staleAudits.record(rule, 1, stats, true));
        }
        assertEquals(50, stats.audits());
        assertEquals(1.0, stats.staleRatio(), 1e-9);
    }

    @Test
    void resume_afterAReload_clearsShadowAndWindow_andABreachOfOlderRulesIsRefused() throws Exception {
        CacheRule rule = load("max-stale-ratio = 0, on-stale = shadow", "");
        StaleAudits staleAudits = audits();
        for (int i = 0; i < 20; i++) {
            staleAudits.record(rule, 1, stats, true);
        }
        assertEquals("shadow", stats.state());

        stats.resume(3);
        assertEquals("on", stats.state());
        assertNull(stats.shadowReason());
        assertEquals(0, stats.windowAudits(), "the window starts again after a reload");
        assertEquals(20, stats.audits(), "the lifetime counters stay");
        assertFalse(stats.shadow(2, "an audit of the rules before the reload"));
        assertEquals("on", stats.state());
    }

    @Test
    void withShadow_replacesOnlyThatRule_inANewVersion() throws Exception {
        load("mode = cache", "");
        RuleSet before = rules.get();
        RuleSet after = before.withShadow("user-by-id", 1, () -> 7);

        assertEquals(7, after.version());
        assertNull(before.withShadow("user-by-id", 0, () -> 8), "rules of another version are not switched");
        assertNull(after.withShadow("user-by-id", 7, () -> 8), "a rule in shadow mode stays as it is");
        assertNull(before.withShadow("absent", 1, () -> 8));
        assertEquals(CacheMode.SHADOW, after.cacheRule("user-by-id").mode());
        assertEquals(CacheMode.CACHE, before.cacheRule("user-by-id").mode());
        assertEquals(before.cacheRule("user-by-id").key(), after.cacheRule("user-by-id").key());
    }
}
