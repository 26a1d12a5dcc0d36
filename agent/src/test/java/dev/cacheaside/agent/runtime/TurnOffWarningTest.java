package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.codec.CodecException;
import dev.cacheaside.agent.codec.JsonCodec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warning of a rule turned off by the codec or the read-back check. */
class TurnOffWarningTest {

    /** A chain without a cycle, deeper than JSON is written. */
    static class Link {
        Link next;
    }

    @Test
    void turnOffMessage_deepValue_isShort_namesTheCause_andItsFix() {
        Link head = new Link();
        Link link = head;
        for (int i = 0; i < 3000; i++) {
            link.next = new Link();
            link = link.next;
        }
        CodecException e = assertThrows(CodecException.class, () -> new JsonCodec().encode(head));

        String warning = CachedCalls.turnOffMessage("deep", Link.class.getName(),
                e.cause().what() + " (" + e.getMessage() + ")", e.fix());

        assertTrue(warning.length() <= 2000, warning.length() + ": " + warning);
        assertTrue(warning.contains("it nests deeper than JSON is written"), warning);
        assertTrue(warning.contains("(994 more)"), warning);
        assertTrue(warning.endsWith("To cache it, " + CodecException.Cause.TOO_DEEP.fix()), warning);
    }

    @Test
    void turnOffMessage_hugeReason_isCut_keepingTheFix() {
        String warning = CachedCalls.turnOffMessage("r", "com.acme.Big", "x".repeat(10_000), "do this");

        assertTrue(warning.length() <= 2000);
        assertTrue(warning.endsWith("To cache it, do this"), warning);
    }
}
