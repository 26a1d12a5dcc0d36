package dev.cacheaside.agent;

/** The running JVM's feature release (8, 11, 17, ...), read the way Java 8 can. */
public final class JavaVersion {

    private static final int FEATURE = parse(System.getProperty("java.specification.version", "1.8"));

    private JavaVersion() {
    }

    public static int feature() {
        return FEATURE;
    }

    static int parse(String specification) {
        String text = specification.startsWith("1.") ? specification.substring(2) : specification;
        int end = 0;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end == 0 ? 8 : Integer.parseInt(text.substring(0, end));
    }
}
