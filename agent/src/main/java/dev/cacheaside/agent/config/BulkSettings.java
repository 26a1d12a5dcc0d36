package dev.cacheaside.agent.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bulk rule: one argument is a collection of ids, each with its own entry, shared with the rule of the
 * single-id method. {@code key = "user:{0[*]}"} names the entry of each element, {@code result-key =
 * "user:{result[*].id}"} the entry each returned element belongs to (a {@code Map} result needs none: its
 * keys stand for the ids).
 */
public final class BulkSettings {

    private static final Pattern ELEMENTS = Pattern.compile("\\{(\\d{1,3})\\[\\*]");
    private static final Pattern RESULT_ELEMENTS = Pattern.compile("\\{result\\[\\*]");

    private final int argument;
    private final KeyTemplate elementKey;
    private final KeyTemplate resultKey;

    private BulkSettings(int argument, KeyTemplate elementKey, KeyTemplate resultKey) {
        this.argument = argument;
        this.elementKey = elementKey;
        this.resultKey = resultKey;
    }

    static boolean isBulk(String keySource) {
        return keySource.contains("[*]");
    }

    /**
     * Reads a bulk key and its result key (null when absent).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static BulkSettings parse(String keySource, String resultKeySource) {
        Matcher elements = ELEMENTS.matcher(keySource);
        if (!elements.find()) {
            throw new IllegalArgumentException("a bulk key names the elements of one argument as {N[*]} or"
                    + " {N[*].property}, was '" + keySource + "'");
        }
        int argument = Integer.parseInt(elements.group(1));
        if (elements.find()) {
            throw new IllegalArgumentException("a bulk key names the elements of one argument only, in '"
                    + keySource + "'");
        }
        // each element renders as its argument would in the single-id rule, so both share entries
        KeyTemplate elementKey = KeyTemplate.parse(keySource.replace("{" + argument + "[*]", "{" + argument));
        KeyTemplate resultKey = null;
        if (resultKeySource != null) {
            if (!RESULT_ELEMENTS.matcher(resultKeySource).find() || resultKeySource.replaceFirst(
                    RESULT_ELEMENTS.pattern(), "").contains("{result")) {
                throw new IllegalArgumentException("result-key names each returned element once, as"
                        + " {result[*]} or {result[*].property}, was '" + resultKeySource + "'");
            }
            resultKey = KeyTemplate.parse(resultKeySource.replaceFirst(RESULT_ELEMENTS.pattern(),
                    Matcher.quoteReplacement("{0")));
            if (resultKey.highestArgumentIndex() > 0) {
                throw new IllegalArgumentException("result-key may name only the returned element, was '"
                        + resultKeySource + "'");
            }
        }
        return new BulkSettings(argument, elementKey, resultKey);
    }

    /** The index of the argument whose elements are the ids. */
    public int argument() {
        return argument;
    }

    /** The key of one id, with the element in place of the collection argument. */
    public KeyTemplate elementKey() {
        return elementKey;
    }

    /** The key of one returned element, rendered with the element as argument 0; null for Map results. */
    public KeyTemplate resultKey() {
        return resultKey;
    }
}
