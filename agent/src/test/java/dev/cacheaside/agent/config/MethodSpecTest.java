package dev.cacheaside.agent.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MethodSpecTest {

    @Test
    void parse_withParameters() {
        MethodSpec spec = MethodSpec.parse(" com.acme.UserDao#find( long , java.lang.String, byte[], Outer$Inner, int...) ");

        assertEquals("com.acme.UserDao", spec.typeName());
        assertEquals("find", spec.methodName());
        assertEquals(List.of("long", "java.lang.String", "byte[]", "Outer$Inner", "int[]"), spec.parameterTypes());
        assertFalse(spec.anyParameters());
        assertEquals("com.acme.UserDao#find(long, java.lang.String, byte[], Outer$Inner, int[])", spec.toString());
    }

    @Test
    void parse_withoutParameters_matchesEveryOverload() {
        assertTrue(MethodSpec.parse("com.acme.UserDao#findByTeam").anyParameters());
        assertTrue(MethodSpec.parse("com.acme.UserDao#count()").parameterTypes().isEmpty());
        assertFalse(MethodSpec.parse("com.acme.UserDao#count()").anyParameters());
    }

    @Test
    void parse_errors_sayWhat() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("UserDao#find"))
                .getMessage().contains("must be fully qualified"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("com.acme.UserDao.find"))
                .getMessage().startsWith("expected 'fully.qualified.Type#method'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("com.acme.UserDao#find(long"))
                .getMessage().startsWith("parameter list must end with ')'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("com.acme.UserDao#<init>"))
                .getMessage().contains("is not a method name"));
    }

    @Test
    void parameterMatches_simpleQualifiedNestedAndArrays() {
        assertTrue(MethodSpec.parameterMatches("String", "java.lang.String"));
        assertTrue(MethodSpec.parameterMatches("java.lang.String", "java.lang.String"));
        assertFalse(MethodSpec.parameterMatches("java.util.String", "java.lang.String"));
        assertTrue(MethodSpec.parameterMatches("byte[]", "byte[]"));
        assertTrue(MethodSpec.parameterMatches("String[]", "java.lang.String[]"));
        assertTrue(MethodSpec.parameterMatches("Outer$Inner", "com.acme.Outer$Inner"));
        assertTrue(MethodSpec.parameterMatches("Inner", "com.acme.Outer$Inner"));
        assertFalse(MethodSpec.parameterMatches("long", "int"));
    }
}
