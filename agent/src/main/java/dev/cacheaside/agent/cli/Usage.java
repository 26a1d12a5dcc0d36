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
            "  --help              this text",
            "  --version           the agent's version",
            "");

    private Usage() {
    }
}
