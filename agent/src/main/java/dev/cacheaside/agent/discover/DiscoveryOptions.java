package dev.cacheaside.agent.discover;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a discovery watches, for how long, and where its file goes: the text after {@code discover:} in
 * the agent's argument, {@code packages=com.acme,com.shop;for=10m;out=/path/suggested.conf}. The
 * command gives no {@code out}: it fetches the file itself.
 */
public final class DiscoveryOptions {

    /** Without {@code for}: as the contract's default. */
    public static final long DEFAULT_MILLIS = TimeUnit.MINUTES.toMillis(10);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    final List<String> packages;
    final long durationMillis;
    final String out;

    DiscoveryOptions(List<String> packages, long durationMillis, String out) {
        this.packages = packages;
        this.durationMillis = durationMillis;
        this.out = out;
    }

    /** Parses the option text; throws {@link IllegalArgumentException} naming the part that is wrong. */
    public static DiscoveryOptions parse(String text) {
        List<String> packages = new ArrayList<>();
        long millis = DEFAULT_MILLIS;
        String out = null;
        for (String part : text.split(";")) {
            String option = part.trim();
            if (option.isEmpty()) {
                continue;
            }
            int equals = option.indexOf('=');
            String name = equals < 0 ? option : option.substring(0, equals).trim();
            String value = equals < 0 ? "" : option.substring(equals + 1).trim();
            switch (name) {
                case "packages":
                    packages.addAll(packageList(value));
                    break;
                case "for":
                    millis = durationMillis(value);
                    break;
                case "out":
                    out = value;
                    break;
                default:
                    throw new IllegalArgumentException("unknown discover option '" + name + "' in '" + text
                            + "'; expected packages=..., for=... or out=...");
            }
        }
        return new DiscoveryOptions(Collections.unmodifiableList(packages), millis, out);
    }

    /** {@code com.acme,com.shop} as a list; each a package name. */
    public static List<String> packageList(String value) {
        List<String> packages = new ArrayList<>();
        for (String name : value.split(",")) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!trimmed.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
                throw new IllegalArgumentException("'" + trimmed + "' is not a package name");
            }
            packages.add(trimmed);
        }
        return packages;
    }

    /** {@code 10m}, {@code 90s}, {@code 1h}, {@code 500ms}; a bare number is seconds. */
    public static long durationMillis(String value) {
        Matcher matcher = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a duration such as 30s, 10m or 1h");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        long millis = unit.equals("ms") ? amount : unit.equals("s") ? TimeUnit.SECONDS.toMillis(amount)
                : unit.equals("m") ? TimeUnit.MINUTES.toMillis(amount) : TimeUnit.HOURS.toMillis(amount);
        if (millis <= 0) {
            throw new IllegalArgumentException("'" + value + "' must be positive");
        }
        return millis;
    }

    /** The option text the command passes to the agent. */
    public static String text(List<String> packages, long durationMillis) {
        return "packages=" + String.join(",", packages) + ";for=" + durationMillis + "ms";
    }
}
