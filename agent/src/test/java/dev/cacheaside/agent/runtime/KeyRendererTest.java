package dev.cacheaside.agent.runtime;

import com.example.fixture.Color;
import com.example.fixture.modern.Point;
import com.example.fixture.User;
import dev.cacheaside.agent.codec.JsonCodec;
import dev.cacheaside.agent.config.KeyTemplate;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRendererTest {

    private final JsonCodec codec = new JsonCodec();

    @Test
    void render_simpleArguments_asText() throws Exception {
        UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        String key = render("k:{0}:{1}:{2}:{3}:{4}:{5}:{6}:{7}", "abc", 42L, true, Color.RED, uuid,
                LocalDate.of(2024, 5, 1), new BigDecimal("1E+3"), null);

        assertEquals("p:k:abc:42:true:RED:" + uuid + ":2024-05-01:1000:%null", key);
    }

    @Test
    void render_date_asInstant() throws Exception {
        assertEquals("p:d:1970-01-01T00:00:01Z", render("d:{0}", new Date(1000)));
    }

    @Test
    void render_propertyPaths_getterRecordAccessorFieldAndMap() throws Exception {
        User user = new User(7, "Ada", "odd");

        assertEquals("p:user:7", render("user:{0.id}", user));
        assertEquals("p:label:p", render("label:{0.label}", new Point(1, 2, "p")));
        assertTrue(render("tags:{0.tags}", new Holder(List.of("t7"))).matches("p:tags:[0-9a-f]{32}"));
        assertEquals("p:city:Paris", render("city:{0.city}", Map.of("city", "Paris")));
        assertEquals("p:n:%null", render("n:{0.name}", new User()));
    }

    @Test
    void render_result_forEvictRules() throws Exception {
        KeyRenderer renderer = new KeyRenderer("p:", KeyTemplate.parse("user:{result.id}"), codec);

        assertEquals("p:user:9", renderer.render(new Object[0], new User(9, "n", "t")));
    }

    @Test
    void render_objects_asStableDigest() throws Exception {
        String first = render("q:{0}", new User(1, "a", "odd"));
        String again = render("q:{0}", new User(1, "a", "odd"));
        String other = render("q:{0}", new User(2, "a", "odd"));

        assertEquals(first, again);
        assertNotEquals(first, other);
        assertTrue(first.matches("p:q:[0-9a-f]{32}"), first);
    }

    @Test
    void render_args_digestOfAllArguments() throws Exception {
        KeyRenderer renderer = new KeyRenderer("p:", KeyTemplate.parse("all:{args}"), codec);

        String a = renderer.render(new Object[] {1, "x"}, null);
        assertEquals(a, renderer.render(new Object[] {1, "x"}, null));
        assertNotEquals(a, renderer.render(new Object[] {1, "y"}, null));
        assertEquals(a, renderer.render(new Object[] {1, "x"}, null));
    }

    @Test
    void render_missingProperty_saysWhichAndWhere() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> render("x:{0.nope}", new User()));

        assertTrue(e.getMessage().contains("no getter, accessor or field 'nope' on com.example.fixture.User"),
                e.getMessage());
    }

    @Test
    void render_constant_isPrefixed() throws Exception {
        assertEquals("p:everything", render("everything"));
    }

    private String render(String template, Object... arguments) throws Exception {
        return new KeyRenderer("p:", KeyTemplate.parse(template), codec).render(arguments, null);
    }

    static final class Holder {
        private final List<String> tags;

        Holder(List<String> tags) {
            this.tags = tags;
        }
    }
}
