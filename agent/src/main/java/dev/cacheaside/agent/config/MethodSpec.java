package dev.cacheaside.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A rule's {@code method}: {@code fully.qualified.Type#name} or {@code fully.qualified.Type#name(T1, T2)}.
 * Parameter types are simple or fully qualified names, arrays as {@code byte[]}, nested types as
 * {@code Outer$Inner}.
 */
public final class MethodSpec {

    private static final Pattern TYPE_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");
    private static final Pattern METHOD_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*");
    private static final Pattern PARAMETER = Pattern.compile(
            "[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*(\\[\\])*");

    private final String typeName;
    private final String methodName;
    private final List<String> parameterTypes;
    private final String text;

    private MethodSpec(String typeName, String methodName, List<String> parameterTypes, String text) {
        this.typeName = typeName;
        this.methodName = methodName;
        this.parameterTypes = parameterTypes;
        this.text = text;
    }

    /** Parses a spec, or throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static MethodSpec parse(String text) {
        String spec = text.trim();
        int hash = spec.indexOf('#');
        if (hash < 0) {
            throw new IllegalArgumentException("expected 'fully.qualified.Type#method' or "
                    + "'fully.qualified.Type#method(ParamType, ...)', was '" + text + "'");
        }
        String type = spec.substring(0, hash).trim();
        String rest = spec.substring(hash + 1).trim();
        if (!TYPE_NAME.matcher(type).matches()) {
            throw new IllegalArgumentException("'" + type + "' is not a type name, in '" + text + "'");
        }
        if (!type.contains(".")) {
            throw new IllegalArgumentException("type '" + type + "' must be fully qualified (with its package), in '"
                    + text + "'");
        }
        List<String> parameters = null;
        String name = rest;
        int open = rest.indexOf('(');
        if (open >= 0) {
            if (!rest.endsWith(")")) {
                throw new IllegalArgumentException("parameter list must end with ')', in '" + text + "'");
            }
            name = rest.substring(0, open).trim();
            parameters = parseParameters(rest.substring(open + 1, rest.length() - 1), text);
        }
        if (!METHOD_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a method name, in '" + text + "'");
        }
        if (name.equals("<init>") || name.equals("<clinit>")) {
            throw new IllegalArgumentException("constructors cannot be rule targets, in '" + text + "'");
        }
        String normalized = type + "#" + name + (parameters == null ? "" : "(" + String.join(", ", parameters) + ")");
        return new MethodSpec(type, name, parameters, normalized);
    }

    private static List<String> parseParameters(String list, String text) {
        if (list.trim().isEmpty()) {
            return Collections.emptyList();
        }
        List<String> parameters = new ArrayList<>();
        for (String raw : list.split(",")) {
            String parameter = raw.trim().replace("...", "[]").replaceAll("\\s+", "");
            if (!PARAMETER.matcher(parameter).matches()) {
                throw new IllegalArgumentException("'" + raw.trim() + "' is not a parameter type, in '" + text + "'");
            }
            parameters.add(parameter);
        }
        return Collections.unmodifiableList(parameters);
    }

    public String typeName() {
        return typeName;
    }

    public String methodName() {
        return methodName;
    }

    /** True when the spec names no parameter list, so it matches every overload. */
    public boolean anyParameters() {
        return parameterTypes == null;
    }

    /** The parameter types as written; only meaningful when {@link #anyParameters()} is false. */
    public List<String> parameterTypes() {
        return parameterTypes == null ? Collections.emptyList() : parameterTypes;
    }

    /**
     * Whether one written parameter type names the given type, whose {@code actualName} is the Java
     * source form ({@code java.lang.String}, {@code byte[]}, {@code com.acme.Outer$Inner}).
     */
    public static boolean parameterMatches(String written, String actualName) {
        if (written.equals(actualName)) {
            return true;
        }
        if (written.contains(".")) {
            return false;
        }
        // a simple name: compare with the part after the package, keeping Outer$Inner and array brackets
        int lastDot = actualName.lastIndexOf('.');
        String simple = lastDot < 0 ? actualName : actualName.substring(lastDot + 1);
        if (written.equals(simple)) {
            return true;
        }
        int dollar = simple.lastIndexOf('$');
        return dollar >= 0 && written.equals(simple.substring(dollar + 1));
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MethodSpec && ((MethodSpec) other).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
