package dev.cacheaside.agent.config;

import java.util.Locale;

/** What a cache rule does with its method. */
public enum CacheMode {
    /** Look up; on a miss run the method and store the result. */
    CACHE,
    /** Look up and count would-be hits, but always run the method and never store. */
    SHADOW,
    /** Leave the method alone. */
    OFF;

    static CacheMode parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
