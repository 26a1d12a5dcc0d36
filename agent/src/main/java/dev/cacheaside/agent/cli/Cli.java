package dev.cacheaside.agent.cli;

import java.io.PrintStream;

/** The agent jar's command line: {@code attach}, {@code stats}, {@code check}, {@code discover}, {@code --help}, {@code --version}. */
public final class Cli {

    private Cli() {
    }

    /** Runs one command and returns the process exit status. */
    public static int run(String[] arguments) {
        PrintStream out = System.out;
        if (arguments.length == 0 || arguments[0].equals("--help") || arguments[0].equals("-h")
                || arguments[0].equals("help")) {
            out.print(Usage.TEXT);
            return arguments.length == 0 ? 2 : 0;
        }
        if (arguments[0].equals("--version") || arguments[0].equals("version")) {
            out.println("cache-aside-agent " + version());
            return 0;
        }
        try {
            switch (arguments[0]) {
                case "attach":
                    return AttachCommand.run(arguments, out);
                case "stats":
                    return AttachCommand.stats(arguments, out);
                case "check":
                    return CheckCommand.run(arguments, out);
                case "discover":
                    return DiscoverCommand.run(arguments, out);
                default:
                    System.err.println("cache-aside-agent: unknown command '" + arguments[0] + "'; see --help");
                    return 2;
            }
        } catch (CommandException e) {
            System.err.println("cache-aside-agent: " + e.getMessage());
            return 1;
        }
    }

    static String version() {
        String version = Cli.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
