package dev.cacheaside.agent.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A parsed key template: literal text with {@code {0}}, {@code {0.path}}, {@code {args}} and
 * {@code {result.path}} parts. {@code {{} and {@code }}} stand for literal braces, so a template can
 * hold a Redis Cluster hash tag: {@code "user:{{{0}}}"} renders as {@code user:{42}}.
 */
public final class KeyTemplate {

    /** The character that escapes separators inside a rendered argument; see {@link #separators()}. */
    public static final char ESCAPE = '%';

    /** One piece of a template. */
    public abstract static class Part {
        private Part() {
        }
    }

    public static final class Literal extends Part {
        private final String text;

        Literal(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** An argument by index, with an optional property path. */
    public static final class Argument extends Part {
        private final int index;
        private final List<String> path;

        Argument(int index, List<String> path) {
            this.index = index;
            this.path = path;
        }

        public int index() {
            return index;
        }

        public List<String> path() {
            return path;
        }
    }

    /** All arguments, as one stable digest. */
    public static final class AllArguments extends Part {
        AllArguments() {
        }
    }

    /** The mutator's return value, with an optional property path. */
    public static final class Result extends Part {
        private final List<String> path;

        Result(List<String> path) {
            this.path = path;
        }

        public List<String> path() {
            return path;
        }
    }

    private final String source;
    private final List<Part> parts;

    private KeyTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /** Parses a template, or throws {@link IllegalArgumentException} saying what is wrong and where. */
    public static KeyTemplate parse(String source) {
        if (source.isEmpty()) {
            throw new IllegalArgumentException("key template is empty");
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '{' && i + 1 < source.length() && source.charAt(i + 1) == '{') {
                literal.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < source.length() && source.charAt(i + 1) == '}') {
                literal.append('}');
                i += 2;
            } else if (c == '{') {
                int close = source.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '{' at position " + i + " of '" + source + "'");
                }
                if (literal.length() > 0) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(placeholder(source.substring(i + 1, close).trim(), source));
                i = close + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("unmatched '}' at position " + i + " of '" + source
                        + "' (write '}}' for a literal brace)");
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
        }
        for (int p = 0; p + 1 < parts.size(); p++) {
            if (!(parts.get(p) instanceof Literal) && !(parts.get(p + 1) instanceof Literal)) {
                throw new IllegalArgumentException("two placeholders without text between them in '" + source
                        + "': put a separator such as ':' between them, or two calls could render the same key");
            }
            if (!(parts.get(p) instanceof Literal) && ((Literal) parts.get(p + 1)).text().charAt(0) == ESCAPE) {
                throw new IllegalArgumentException("'" + ESCAPE + "' right after a placeholder in '" + source
                        + "': it escapes separators inside rendered arguments, so it cannot also follow one");
            }
        }
        return new KeyTemplate(source, Collections.unmodifiableList(parts));
    }

    private static Part placeholder(String inner, String source) {
        if (inner.equals("args")) {
            return new AllArguments();
        }
        if (inner.contains("[*]")) {
            throw new IllegalArgumentException("'{" + inner + "}' in '" + source + "' names each element of a"
                    + " collection: it belongs in a cache rule's key and result-key only (a bulk rule)");
        }
        List<String> segments = Arrays.asList(inner.split("\\.", -1));
        for (String segment : segments) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("empty name in '{" + inner + "}' of '" + source + "'");
            }
        }
        String head = segments.get(0);
        List<String> path = Collections.unmodifiableList(new ArrayList<>(segments.subList(1, segments.size())));
        for (String property : path) {
            if (!Character.isJavaIdentifierStart(property.charAt(0))
                    || !property.chars().allMatch(Character::isJavaIdentifierPart)) {
                throw new IllegalArgumentException("'" + property + "' is not a property name, in '{" + inner
                        + "}' of '" + source + "'");
            }
        }
        if (head.equals("result")) {
            return new Result(path);
        }
        if (head.chars().allMatch(Character::isDigit) && head.length() <= 3) {
            return new Argument(Integer.parseInt(head), path);
        }
        throw new IllegalArgumentException("'{" + inner + "}' in '" + source
                + "' is not {N}, {N.property}, {args} or {result.property}");
    }

    public List<Part> parts() {
        return parts;
    }

    public String source() {
        return source;
    }

    /** The highest argument index named, or -1 when none is. */
    public int highestArgumentIndex() {
        int highest = -1;
        for (Part part : parts) {
            if (part instanceof Argument) {
                highest = Math.max(highest, ((Argument) part).index());
            }
        }
        return highest;
    }

    /**
     * The characters that end a placeholder's text: the first character of each literal that follows a
     * placeholder. A rendered argument escapes them (and {@link #ESCAPE}), so each placeholder's text
     * ends exactly where the next literal begins and distinct arguments never render the same key.
     */
    public String separators() {
        StringBuilder separators = new StringBuilder();
        for (int p = 1; p < parts.size(); p++) {
            if (parts.get(p) instanceof Literal && !(parts.get(p - 1) instanceof Literal)) {
                char first = ((Literal) parts.get(p)).text().charAt(0);
                if (separators.indexOf(String.valueOf(first)) < 0) {
                    separators.append(first);
                }
            }
        }
        return separators.toString();
    }

    public boolean usesResult() {
        return parts.stream().anyMatch(part -> part instanceof Result);
    }

    /** True when the template has no placeholder, so it renders to itself. */
    public boolean isConstant() {
        return parts.stream().allMatch(part -> part instanceof Literal);
    }

    /** The text every key this template renders starts with: its literal parts up to the first placeholder. */
    public String literalPrefix() {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            if (!(part instanceof Literal)) {
                break;
            }
            text.append(((Literal) part).text());
        }
        return text.toString();
    }

    /**
     * A Redis SCAN MATCH pattern for every key this template can render, each placeholder a {@code *}
     * and the literal text escaped.
     */
    public String scanPattern(String prefix) {
        StringBuilder pattern = new StringBuilder(escapeGlob(prefix));
        boolean lastWasWildcard = false;
        for (Part part : parts) {
            if (part instanceof Literal) {
                pattern.append(escapeGlob(((Literal) part).text()));
                lastWasWildcard = false;
            } else if (!lastWasWildcard) {
                pattern.append('*');
                lastWasWildcard = true;
            }
        }
        return pattern.toString();
    }

    /** A regex matching exactly the keys a {@link #scanPattern} matches. */
    public static java.util.regex.Pattern globPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\' && i + 1 < glob.length()) {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL);
    }

    static String escapeGlob(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
