package dev.cacheaside.agent.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyTemplateTest {

    @Test
    void parse_placeholders_inOrder() {
        KeyTemplate template = KeyTemplate.parse("user:{0}:{1.address.city}:{args}");

        List<KeyTemplate.Part> parts = template.parts();
        assertEquals(6, parts.size());
        assertEquals(0, ((KeyTemplate.Argument) parts.get(1)).index());
        assertEquals(List.of("address", "city"), ((KeyTemplate.Argument) parts.get(3)).path());
        assertTrue(parts.get(5) instanceof KeyTemplate.AllArguments);
        assertEquals(1, template.highestArgumentIndex());
        assertFalse(template.usesResult());
    }

    @Test
    void parse_result_isRecognised() {
        assertTrue(KeyTemplate.parse("user:{result.id}").usesResult());
    }

    @Test
    void parse_doubledBraces_areLiteral() {
        KeyTemplate template = KeyTemplate.parse("user:{{{0}}}");

        assertEquals("user:{", ((KeyTemplate.Literal) template.parts().get(0)).text());
        assertEquals("}", ((KeyTemplate.Literal) template.parts().get(2)).text());
    }

    @Test
    void parse_withoutBraces_isConstant() {
        assertTrue(KeyTemplate.parse("all-users").isConstant());
    }

    @Test
    void parse_badPlaceholders_sayWhat() {
        assertEquals("'{name}' in 'user:{name}' is not {N}, {N.property}, {args} or {result.property}",
                assertThrows(IllegalArgumentException.class, () -> KeyTemplate.parse("user:{name}")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyTemplate.parse("user:{0"))
                .getMessage().startsWith("unclosed '{'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyTemplate.parse("user:0}"))
                .getMessage().startsWith("unmatched '}'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyTemplate.parse("user:{0..id}"))
                .getMessage().startsWith("empty name"));
    }

    @Test
    void scanPattern_wildcardsPlaceholders_andEscapesGlobCharacters() {
        assertEquals("cache-aside:team:*:users", KeyTemplate.parse("team:{0}:users").scanPattern("cache-aside:"));
        assertEquals("p\\*:a\\?\\[b\\]:*-*", KeyTemplate.parse("a?[b]:{0}-{1}").scanPattern("p*:"));
    }

    @Test
    void parse_adjacentPlaceholders_areRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyTemplate.parse("p:{0}{1}"))
                .getMessage().startsWith("two placeholders without text between them"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyTemplate.parse("p:{0}%{1}"))
                .getMessage().startsWith("'%' right after a placeholder"));
    }

    @Test
    void separators_areTheFirstCharactersAfterPlaceholders() {
        assertEquals(":}", KeyTemplate.parse("p:{0}:{1}:x{{{2}}}").separators());
        assertEquals("", KeyTemplate.parse("user:{0}").separators());
    }
}
