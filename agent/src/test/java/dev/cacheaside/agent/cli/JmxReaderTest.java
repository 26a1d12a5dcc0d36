package dev.cacheaside.agent.cli;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JmxReaderTest {

    private static Map<String, Object> cacheRule(String name, String state, String reason) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("Name", name);
        rule.put("Kind", "cache");
        rule.put("Method", "com.acme.Dao#find(long)");
        rule.put("Definition", "key=user:{0} ttl=5m");
        rule.put("Metrics", true);
        rule.put("State", state);
        rule.put("OffReason", reason);
        rule.put("Hits", 3L);
        rule.put("Misses", 1L);
        rule.put("HitRatio", 0.75);
        rule.put("Stores", 1L);
        rule.put("Evictions", 0L);
        rule.put("Errors", 0L);
        rule.put("HitLatencyP50Micros", 20.0);
        rule.put("HitLatencyP99Micros", 90.0);
        rule.put("MethodLatencyP50Micros", 1500.0);
        rule.put("MethodLatencyP99Micros", 4000.0);
        return rule;
    }

    @Test
    void statsText_ruleTurnedOff_showsStateAndReason() {
        String text = JmxReader.statsText(List.of(cacheRule("user-by-id", "on", ""),
                cacheRule("product", "off", "a value of com.acme.Product cannot be cached: it holds a lazy proxy")));

        assertTrue(text.matches("(?s).*\\nuser-by-id\\s+cache\\s+3\\s+1\\s+75\\.0%\\s+1\\s+0\\s+0\\s+20 / 90\\s+1\\.50 / 4\\.00\\s+on\\n.*"),
                text);
        assertTrue(text.matches("(?s).*\\nproduct\\s+cache\\s.*\\soff\\n.*"), text);
        assertTrue(text.contains("rule 'product' turned itself off until the config is reloaded: a value of"
                + " com.acme.Product cannot be cached: it holds a lazy proxy\n"), text);
        assertFalse(text.contains("rule 'user-by-id' turned itself off"), text);
    }

    @Test
    void statsText_auditedRuleInShadowForStaleHits_showsRatioStateAndReason() {
        Map<String, Object> audited = cacheRule("user-by-id", "shadow", "");
        audited.put("Audits", 40L);
        audited.put("AuditMismatches", 25L);
        audited.put("WindowAudits", 20);
        audited.put("StaleRatio", 0.25);
        audited.put("ShadowReason", "stale-hit ratio 25.0% (5 stale of 20 audits in the last 5 minutes) over"
                + " max-stale-ratio 5.0%");
        String text = JmxReader.statsText(List.of(audited, cacheRule("product", "on", "")));

        assertTrue(text.matches("(?s).*\nuser-by-id\s+cache\s.*\sshadow\n.*"), text);
        assertTrue(text.contains("rule 'user-by-id': 40 audits, 25 stale; stale-hit ratio 25.0% of the 20 audits in"
                + " the last 5 minutes\n"), text);
        assertTrue(text.contains("rule 'user-by-id' switched itself to shadow mode until the config is reloaded:"
                + " stale-hit ratio 25.0% (5 stale of 20 audits in the last 5 minutes) over max-stale-ratio 5.0%\n"),
                text);
        assertFalse(text.contains("rule 'product':"), "a rule without audits has no audit line: " + text);
    }

    @Test
    void statusText_namesConfigRedisAndEachRulesDefinition() {
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("ConfigFile", "/etc/app/agent.conf");
        agent.put("Reload", true);
        agent.put("Redis", "redis://10.0.0.1:6379");
        agent.put("RedisAvailable", false);

        String text = JmxReader.statusText(agent, List.of(cacheRule("user-by-id", "on", "")));

        assertTrue(text.startsWith("cache-aside agent: active, config /etc/app/agent.conf (reload on)\n"
                + "Redis: redis://10.0.0.1:6379 (unavailable, calls run uncached)\n"), text);
        assertTrue(text.matches("(?s).*\\nuser-by-id\\s+cache\\s+3\\s+1\\s+75\\.0%\\s+1\\s+0\\s+0\\s+on\\n.*"), text);
        assertTrue(text.contains("user-by-id                 com.acme.Dao#find(long) key=user:{0} ttl=5m\n"), text);
    }
}
