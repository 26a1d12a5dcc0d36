package dev.cacheaside.agent.cli;

/**
 * The agent's argument string, written by the commands and read by the agent, so that both sides of
 * the attach protocol live here. From {@code -javaagent:jar=ARG} it is a config path; the attach command
 * sends {@code config:PATH} or {@code disable}; {@code discover:OPTIONS} (from the command, or as
 * {@code -javaagent:jar=discover:...}) starts a discovery. Commands of earlier versions sent
 * {@code status:FILE}, {@code stats:FILE} and {@code config+status:N:FILEPATH} (FILE being N characters
 * long), which the agent still answers.
 */
public final class AgentArguments {

    /** What the agent is asked to do. */
    public enum Action { START, DISABLE, STATUS, STATS, DISCOVER }

    private static final String CONFIG = "config:";
    private static final String DISABLE = "disable";
    private static final String DISCOVER = "discover:";
    private static final String CONFIG_AND_STATUS = "config+status:";

    private final Action action;
    private final String configPath;
    private final String statusFile;

    private AgentArguments(Action action, String configPath, String statusFile) {
        this.action = action;
        this.configPath = configPath;
        this.statusFile = statusFile;
    }

    public static AgentArguments parse(String arguments) {
        String text = arguments == null ? "" : arguments.trim();
        if (text.equals(DISABLE)) {
            return new AgentArguments(Action.DISABLE, null, null);
        }
        if (text.startsWith("status:")) {
            return new AgentArguments(Action.STATUS, null, text.substring("status:".length()));
        }
        if (text.startsWith("stats:")) {
            return new AgentArguments(Action.STATS, null, text.substring("stats:".length()));
        }
        if (text.startsWith(DISCOVER) || text.equals("discover")) {
            return new AgentArguments(Action.DISCOVER, null, text.substring(Math.min(text.length(), DISCOVER.length())));
        }
        if (text.startsWith(CONFIG_AND_STATUS)) {
            String rest = text.substring(CONFIG_AND_STATUS.length());
            int colon = rest.indexOf(':');
            try {
                int end = colon + 1 + Integer.parseInt(rest.substring(0, colon));
                String path = rest.substring(end);
                return new AgentArguments(Action.START, path.isEmpty() ? null : path, rest.substring(colon + 1, end));
            } catch (RuntimeException e) {
                // not this form after all: read as a config path, whose error names it
            }
        }
        if (text.startsWith(CONFIG)) {
            text = text.substring(CONFIG.length());
        }
        return new AgentArguments(Action.START, text.isEmpty() ? null : text, null);
    }

    /** Start, or re-configure, with this config; null for the default lookup. */
    static String config(String path) {
        return CONFIG + (path == null ? "" : path);
    }

    /** Turn caching off. */
    static String disable() {
        return DISABLE;
    }

    /** Start a discovery with these options ({@code packages=...;for=...}). */
    static String discover(String options) {
        return DISCOVER + options;
    }

    public Action action() {
        return action;
    }

    /** The config path given, or null to use the default lookup. */
    public String configPath() {
        return configPath;
    }

    /** For {@link Action#DISCOVER}: the discovery's options, {@code packages=...;for=...}. */
    public String discoverOptions() {
        return statusFile;
    }

    /** Where to write the status: for STATUS and STATS, and for a START that asked for it; else null. */
    public String statusFile() {
        return statusFile;
    }
}
