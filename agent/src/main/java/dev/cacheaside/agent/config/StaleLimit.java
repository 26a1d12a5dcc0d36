package dev.cacheaside.agent.config;

import java.util.Locale;

/**
 * How many of a rule's audited hits may be stale ({@code max-stale-ratio}) and what the agent does when
 * more are ({@code on-stale}).
 */
public final class StaleLimit {

    /** What a breach of {@code max-stale-ratio} does. */
    public enum Action {
        /** Log the rule, the ratio and the suspect mutators; keep caching. */
        LOG,
        /** Log, and switch the rule to shadow mode until the config is reloaded. */
        SHADOW;

        static Action parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final double maxRatio;
    private final Action action;

    StaleLimit(double maxRatio, Action action) {
        this.maxRatio = maxRatio;
        this.action = action;
    }

    /** The highest share of stale audits, 0 to 1, that the rule may show without a breach. */
    public double maxRatio() {
        return maxRatio;
    }

    public Action action() {
        return action;
    }

    @Override
    public String toString() {
        return "max-stale-ratio = " + String.format(Locale.ROOT, "%.1f%%", maxRatio * 100) + ", on-stale = "
                + action.name().toLowerCase(Locale.ROOT);
    }
}
