package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.config.EvictRule;
import dev.cacheaside.agent.config.KeyTemplate;
import dev.cacheaside.agent.config.StaleLimit;
import dev.cacheaside.agent.log.AgentLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps audited rules honest: counts each completed audit in its rule's window and, when the share of
 * stale hits in it passes the rule's {@code max-stale-ratio}, warns and (with {@code on-stale = shadow})
 * switches the rule to shadow mode until the config is reloaded.
 *
 * <p>The switch swaps the rule set for one in which the rule is in shadow mode, as a reload does, so the
 * lookup path needs no check of its own; a reload applies the file's rules again and resets the window.
 */
final class StaleAudits {

    /** Fewer audits in the window never breach: one stale hit of two audits says little. */
    static final int MIN_AUDITS = 20;

    /** Swaps the rules in force for ones with the named rule in shadow mode, if they are still of this version. */
    interface ShadowSwitch {
        boolean shadow(String rule, int basedOnVersion);
    }

    private final Supplier<RuleSet> rules;
    private final ShadowSwitch shadows;

    StaleAudits(Supplier<RuleSet> rules, ShadowSwitch shadows) {
        this.rules = rules;
        this.shadows = shadows;
    }

    /**
     * Counts an audit of a rule bound under rules of {@code version}; returns the warning it logged for a
     * breach, or null.
     */
    String record(CacheRule rule, int version, RuleStats stats, boolean stale) {
        StaleWindow.Counts recent = stats.recordAudit(stale);
        StaleLimit limit = rule.staleLimit();
        if (limit == null || !breached(limit, recent)) {
            return null;
        }
        String warning;
        if (limit.action() == StaleLimit.Action.SHADOW) {
            String reason = ratioText(recent) + " over max-stale-ratio " + percent(limit.maxRatio());
            // the rule set first: a reload that lands in between wins over both
            if (!shadows.shadow(rule.name(), version) || !stats.shadow(version, reason)) {
                return null;
            }
            warning = message(rule, recent, limit) + " The rule is now in shadow mode: every call runs the method"
                    + " and nothing is served from or stored in the cache, until the config file is edited or"
                    + " reloaded (on-stale = shadow).";
        } else {
            if (!stats.staleWarningDue()) {
                return null;
            }
            warning = message(rule, recent, limit) + " The rule keeps caching (on-stale = log); this warning"
                    + " repeats at most every " + minutes() + " minutes while the ratio stays over the limit.";
        }
        AgentLog.warn(CachedCalls.capped(warning));
        return warning;
    }

    static boolean breached(StaleLimit limit, StaleWindow.Counts recent) {
        return recent.audits >= MIN_AUDITS && recent.ratio() > limit.maxRatio();
    }

    private String message(CacheRule rule, StaleWindow.Counts recent, StaleLimit limit) {
        return "rule '" + rule.name() + "' (" + rule.origin() + "): " + ratioText(recent) + ", over max-stale-ratio "
                + percent(limit.maxRatio()) + ": something changes this data without evicting it. "
                + suspects(rule, rules.get());
    }

    private static String ratioText(StaleWindow.Counts recent) {
        return "stale-hit ratio " + percent(recent.ratio()) + " (" + recent.stale + " stale of " + recent.audits
                + " audits in the last " + minutes() + " minutes)";
    }

    /** The evict rules whose targets cover the rule's cache: those that should have caught the change. */
    static String suspects(CacheRule rule, RuleSet current) {
        List<String> covering = new ArrayList<>();
        for (EvictRule evict : current.settings().evictRules().values()) {
            if (covers(evict, rule)) {
                covering.add("'" + evict.name() + "' (" + evict.method() + ")");
            }
        }
        if (covering.isEmpty()) {
            return "No evict rule covers this cache (none names it in caches, no keys template shares its key's"
                    + " prefix): run `discover` to find the methods that change this data, and add evict rules for"
                    + " them.";
        }
        return "Evict rules that cover this cache, which may miss a key or a mutator: " + String.join(", ", covering)
                + "; the audit warnings name the methods that ran before each stale entry was found.";
    }

    /** Whether the evict rule drops the whole cache, or has a keys template that may render one of its keys. */
    static boolean covers(EvictRule evict, CacheRule rule) {
        if (evict.caches().contains(rule.name())) {
            return true;
        }
        String cachePrefix = rule.key().literalPrefix();
        for (KeyTemplate keys : evict.keys()) {
            String evictPrefix = keys.literalPrefix();
            if (evictPrefix.startsWith(cachePrefix) || cachePrefix.startsWith(evictPrefix)) {
                return true;
            }
        }
        return false;
    }

    private static long minutes() {
        return TimeUnit.MILLISECONDS.toMinutes(StaleWindow.SPAN_MILLIS);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }
}
