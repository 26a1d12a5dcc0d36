package dev.cacheaside.agent.matching;

/**
 * The one list of packages the agent never instruments: the JDK's and its own. Names may be binary
 * ({@code java.util.List}) or internal ({@code java/util/List}), as class file transformers see them.
 */
public final class SkippedTypes {

    private static final String[] JDK = {"java", "javax", "jdk", "sun", "com.sun"};
    private static final String AGENT = "dev.cacheaside";

    private SkippedTypes() {
    }

    /**
     * Whether rules never apply to the class: a JDK or agent class, other than a JDK dynamic proxy (which
     * carries the rules of the interfaces it implements) or a generated subclass proxy ({@code $$}: Spring's
     * CGLIB and Byte Buddy subclasses delegate to the class that already carries the rule).
     */
    public static boolean isSkipped(String name) {
        return isJdkOrAgent(name) || name.contains("$$");
    }

    /** Whether the class is the JDK's or the agent's, other than a JDK dynamic proxy. */
    public static boolean isJdkOrAgent(String name) {
        return !isJdkProxy(name) && (isJdk(name) || inPackage(name, AGENT));
    }

    /** Whether the class is the JDK's own (a dynamic proxy included). */
    public static boolean isJdk(String name) {
        for (String prefix : JDK) {
            if (inPackage(name, prefix)) {
                return true;
            }
        }
        return false;
    }

    /** A class the JDK generates for {@code java.lang.reflect.Proxy}: {@code jdk.proxy3.$Proxy12}, {@code com.sun.proxy.$Proxy7}. */
    public static boolean isJdkProxy(String name) {
        int at = name.lastIndexOf("$Proxy");
        return at > 0 && (name.charAt(at - 1) == '.' || name.charAt(at - 1) == '/');
    }

    /** Whether the name lies in the package or below it, with either separator. */
    private static boolean inPackage(String name, String packageName) {
        int length = packageName.length();
        if (name.length() <= length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char expected = packageName.charAt(i);
            char actual = name.charAt(i);
            if (expected == '.' ? actual != '.' && actual != '/' : actual != expected) {
                return false;
            }
        }
        char next = name.charAt(length);
        return next == '.' || next == '/';
    }
}
