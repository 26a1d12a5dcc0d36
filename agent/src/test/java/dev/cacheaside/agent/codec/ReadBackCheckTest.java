package dev.cacheaside.agent.codec;

import com.fasterxml.jackson.databind.JavaType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparison of a value with its read-back copy that decides whether a rule stays on. */
class ReadBackCheckTest {

    private final JsonCodec codec = new JsonCodec();

    /** An entity without equals or hashCode: a HashSet orders it by identity hash, differently each run. */
    static class Tag {
        String name;

        Tag() {
        }

        Tag(String name) {
            this.name = name;
        }
    }

    static class Article {
        String title;
        HashSet<Tag> tags = new HashSet<>();
        Set<Tag> moreTags = new HashSet<>();
        HashMap<String, Tag> byName = new HashMap<>();
        List<String> lines = new ArrayList<>();
    }

    @SuppressWarnings("unused")
    interface Shapes {
        Article article();
    }

    static Article article(int tags) {
        Article article = new Article();
        article.title = "t";
        for (int i = 0; i < tags; i++) {
            article.tags.add(new Tag("tag" + i));
            article.moreTags.add(new Tag("more" + i));
            article.byName.put("k" + i, new Tag("v" + i));
        }
        article.lines.add("one");
        article.lines.add("two");
        return article;
    }

    @Test
    void sameValue_hashSetsOfEntitiesWithoutEquals_isAcceptedEveryTime() throws Exception {
        JavaType type = codec.typeOf(Shapes.class.getMethod("article").getGenericReturnType());
        for (int run = 0; run < 200; run++) {
            Article article = article(12);
            Object back = codec.decode(codec.encode(article), type);

            assertTrue(codec.sameValue(article, back), "run " + run);
        }
    }

    @Test
    void sameValue_setsInAnotherOrder_areEqual_listsInAnotherOrder_areNot() throws Exception {
        Set<String> one = new LinkedHashSet<>(List.of("a", "b", "c"));
        Set<String> other = new LinkedHashSet<>(List.of("c", "a", "b"));
        Map<String, Set<String>> nestedOne = new LinkedHashMap<>(Map.of("x", one));
        Map<String, Set<String>> nestedOther = new LinkedHashMap<>(Map.of("x", other));

        assertTrue(codec.sameValue(one, other));
        assertTrue(codec.sameValue(nestedOne, nestedOther));
        assertFalse(codec.sameValue(List.of("a", "b", "c"), List.of("c", "a", "b")));
        assertFalse(codec.sameValue(Set.of("a", "b"), Set.of("a", "c")));
        assertFalse(codec.sameValue(List.of("a", "a", "b"), List.of("a", "b", "b")));
    }

    /** A set of entities declared as a Collection: it reads back as a list, in the stored order. */
    static class Shelf {
        java.util.Collection<Tag> tags = new HashSet<>();
    }

    @Test
    void sameValue_hashSetDeclaredAsCollection_isAccepted() throws Exception {
        for (int run = 0; run < 50; run++) {
            Shelf shelf = new Shelf();
            for (int i = 0; i < 10; i++) {
                shelf.tags.add(new Tag("t" + i));
            }

            assertTrue(codec.sameValue(shelf, codec.decode(codec.encode(shelf), codec.typeOf(Shelf.class))));
        }
    }

    @Test
    void sameValue_cyclicGraph_isAccepted() throws Exception {
        JavaType type = codec.typeOf(ObjectGraphTest.Owner.class);
        ObjectGraphTest.Owner owner = ObjectGraphTest.owner();

        assertTrue(codec.sameValue(owner, codec.decode(codec.encode(owner), type)));
    }
}
