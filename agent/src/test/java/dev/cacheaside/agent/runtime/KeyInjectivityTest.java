package dev.cacheaside.agent.runtime;

import com.example.fixture.modern.Point;
import dev.cacheaside.agent.codec.JsonCodec;
import dev.cacheaside.agent.config.KeyTemplate;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Distinct argument values never render the same Redis key. A value's identity here: null; the text of
 * a scalar (an id passed as int, long or string is one id, so that an evict rule whose property is a
 * {@code Long} meets the entry of a method taking {@code long}); or the runtime class and JSON of an
 * object. Keys are compared as the UTF-8 bytes Redis receives.
 */
class KeyInjectivityTest {

    private static final char[] ALPHABET = {'a', 'b', 'n', 'u', 'l', '3', 'A', ':', '-', '.', '%', '{', '}', '?',
        '\uD83D', '\uDE00', '\uD800', '\uDC00', ' ', 'é'};
    private static final String[] TEMPLATES = {"p:{0}:{1}", "u-{0}.{1}", "x{{{0}}}:{1}", "a:{args}", "q:{0}:{1.label}"};

    private final JsonCodec codec = new JsonCodec();

    record Left(int x) {
    }

    record Right(int x) {
    }

    @Test
    void render_randomArguments_distinctValuesNeverShareAKey() throws Exception {
        Random random = new Random(20261203L);
        for (String source : TEMPLATES) {
            KeyRenderer renderer = new KeyRenderer("p:", KeyTemplate.parse(source), codec);
            Map<String, List<String>> seen = new HashMap<>();
            for (int i = 0; i < 20_000; i++) {
                Object[] arguments = {value(random), source.contains("{1.label}") ? point(random) : value(random)};
                String key = new String(renderer.render(arguments, null).getBytes(StandardCharsets.UTF_8),
                        StandardCharsets.ISO_8859_1);
                List<String> identity = new ArrayList<>();
                for (Object argument : arguments) {
                    identity.add(identity(argument, source.startsWith("a:")));
                }
                if (source.contains("{1.label}")) {
                    identity.set(1, identity(((Point) arguments[1]).label(), false));
                }
                List<String> earlier = seen.putIfAbsent(key, identity);
                if (earlier != null && !earlier.equals(identity)) {
                    fail(source + ": " + earlier + " and " + identity + " both render " + key);
                }
            }
        }
    }

    @Test
    void render_separatorInsideArgument_givesDistinctKeys() throws Exception {
        KeyRenderer renderer = new KeyRenderer("p:", KeyTemplate.parse("p:{0}:{1}"), codec);

        String first = renderer.render(new Object[] {"a:b", "c"}, null);
        String second = renderer.render(new Object[] {"a", "b:c"}, null);

        assertEquals(false, first.equals(second), first + " = " + second);
    }

    @Test
    void render_nullAndTheTextNull_giveDistinctKeys() throws Exception {
        KeyRenderer renderer = new KeyRenderer("", KeyTemplate.parse("n:{0}"), codec);

        assertEquals(false, renderer.render(new Object[] {null}, null)
                .equals(renderer.render(new Object[] {"null"}, null)));
    }

    @Test
    void render_sameJsonDifferentClasses_giveDistinctDigests() throws Exception {
        KeyRenderer one = new KeyRenderer("", KeyTemplate.parse("o:{0}"), codec);
        KeyRenderer all = new KeyRenderer("", KeyTemplate.parse("o:{args}"), codec);

        assertEquals(false, one.render(new Object[] {new Left(1)}, null).equals(one.render(new Object[] {new Right(1)}, null)));
        assertEquals(false, all.render(new Object[] {new Left(1)}, null).equals(all.render(new Object[] {new Right(1)}, null)));
    }

    @Test
    void render_loneSurrogate_doesNotCollideWithQuestionMark() throws Exception {
        KeyRenderer renderer = new KeyRenderer("", KeyTemplate.parse("s:{0}"), codec);

        byte[] lone = renderer.render(new Object[] {"\uD800"}, null).getBytes(StandardCharsets.UTF_8);
        byte[] question = renderer.render(new Object[] {"?"}, null).getBytes(StandardCharsets.UTF_8);

        assertEquals(false, Arrays.equals(lone, question));
    }

    @Test
    void render_plainIdsAndStrings_stayReadable() throws Exception {
        assertEquals("p:user:42", new KeyRenderer("p:", KeyTemplate.parse("user:{0}"), codec).render(new Object[] {42}, null));
        assertEquals("p:team:blue:users:ada@example.com", new KeyRenderer("p:", KeyTemplate.parse("team:{0}:users:{1}"), codec)
                .render(new Object[] {"blue", "ada@example.com"}, null));
        assertEquals("p:user:a:b", new KeyRenderer("p:", KeyTemplate.parse("user:{0}"), codec).render(new Object[] {"a:b"}, null));
    }

    private Object value(Random random) {
        switch (random.nextInt(9)) {
            case 0:
                return null;
            case 1:
                return random.nextBoolean() ? "null" : "%null";
            case 2:
                return random.nextInt(21) - 10;
            case 3:
                return (long) (random.nextInt(21) - 10);
            case 4:
                return random.nextBoolean() ? new Left(random.nextInt(3)) : new Right(random.nextInt(3));
            default:
                return text(random);
        }
    }

    private Point point(Random random) {
        return new Point(0, 0, random.nextInt(4) == 0 ? null : text(random));
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(5);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return text.toString();
    }

    private String identity(Object value, boolean typed) throws Exception {
        if (value == null) {
            return "null";
        }
        if (value instanceof Left || value instanceof Right) {
            return value.getClass().getName() + new String(codec.encodeForDigest(value), StandardCharsets.UTF_8);
        }
        // {args} digests every argument with its class; a single placeholder shows a scalar's text
        return (typed ? value.getClass().getName() : "text") + ":" + value;
    }
}
