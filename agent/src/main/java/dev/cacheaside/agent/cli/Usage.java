package dev.cacheaside.agent.cli;

/** The text of {@code --help}. */
final class Usage {

    static final String TEXT = String.join("\n",
            "cache-aside-agent: Redis caching for an existing JVM application, configured in agent.conf.",
            "",
            "At JVM start:",
            "  java -javaagent:cache-aside-agent.jar=/path/agent.conf -jar app.jar",
            "  (without =path: -Dcache-aside.config=PATH, else env CACHE_ASIDE_CONFIG, else ./agent.conf)",
            "",
            "Commands:",
            "  attach PID [agent.conf]   load the agent into a running JVM, or give it a new config",
            "  attach PID --disable      turn caching off there; every method gets its original code back",
            "  attach PID --status       print the rules in force and their counters",
            "  stats PID                 per rule: hits, misses, hit ratio, stores, evictions, errors, p50/p99",
            "  check agent.conf --classpath app.jar[:dir:...]",
            "                            print every rule, the methods it matches, and every problem, without",
            "                            running the application; exit code 1 when there is an error",
            "  discover PID [--packages com.acme[,...]] [--for 10m] [--out suggested.conf]",
            "                            watch the running application's data-access methods (by default",
            "                            classes named *Dao, *Repository, *Service, *Store, *Client ...),",
            "                            print progress every few seconds, then restore their original code",
            "                            and write proposed cache and evict rules with their evidence",
            "  discover PID --status     the progress of a running discovery",
            "                            (JDK 21+ targets: start them with -XX:+EnableDynamicAgentLoading",
            "                             to allow this without a warning)",
            "  --help              this text",
            "  --version           the agent's version",
            "");

    private Usage() {
    }
}
