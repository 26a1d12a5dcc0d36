package dev.cacheaside.agent.codec;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Turns Jackson's failures into short messages with a cause. Jackson's own message of a deep or cyclic
 * value lists every hop of the reference chain, a thousand of them; only the first and last few say
 * where the problem sits.
 */
final class CodecFailures {

    static final int MAX_MESSAGE = 700;
    private static final int HOPS = 3;

    private CodecFailures() {
    }

    /** Whether writing failed because the value nests too deep (or refers back to itself). */
    static boolean isNesting(Throwable error) {
        if (error instanceof StackOverflowError) {
            return true;
        }
        String message = error.getMessage();
        return message != null && (message.contains("nesting depth") || message.contains("Direct self-reference"));
    }

    /** Whether the failed write's reference chain passes one object twice: a cycle, not mere depth. */
    static boolean isCycle(Throwable error) {
        String message = error.getMessage();
        if (message != null && message.contains("Direct self-reference")) {
            return true;
        }
        if (!(error instanceof JsonMappingException)) {
            return false;
        }
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<Object, Boolean>());
        for (JsonMappingException.Reference hop : ((JsonMappingException) error).getPath()) {
            Object from = hop.getFrom();
            if (from != null && !(from instanceof Class) && !seen.add(from)) {
                return true;
            }
        }
        return false;
    }

    static CodecException.Cause causeOfRead(Throwable error) {
        if (error instanceof ReflectiveTypes.RefusedException) {
            return CodecException.Cause.REFUSED_TYPE;
        }
        String message = String.valueOf(error.getMessage());
        if (message.contains("Cannot construct instance of")) {
            return message.contains("abstract types") ? CodecException.Cause.ABSTRACT : CodecException.Cause.NO_CREATOR;
        }
        if (error instanceof InvalidDefinitionException) {
            return CodecException.Cause.OTHER;
        }
        return CodecException.Cause.INPUT;
    }

    static CodecException.Cause causeOfWrite(Throwable error) {
        if (error instanceof ReflectiveTypes.RefusedException) {
            return CodecException.Cause.REFUSED_TYPE;
        }
        if (isNesting(error)) {
            return isCycle(error) ? CodecException.Cause.CYCLE : CodecException.Cause.TOO_DEEP;
        }
        return CodecException.Cause.OTHER;
    }

    /** Jackson's message without its reference chain, then the chain cut to its first and last hops. */
    static String describe(Throwable error) {
        String message;
        String path = "";
        if (error instanceof JsonMappingException) {
            JsonMappingException mapping = (JsonMappingException) error;
            message = mapping.getOriginalMessage();
            path = shortPath(mapping.getPath());
        } else if (error instanceof StackOverflowError) {
            message = "nesting too deep for the thread's stack";
        } else {
            message = error.getMessage();
        }
        if (message == null) {
            message = error.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        return cap(path.isEmpty() ? message : message + ", at " + path, MAX_MESSAGE);
    }

    static String shortPath(List<JsonMappingException.Reference> path) {
        StringBuilder text = new StringBuilder();
        int size = path.size();
        for (int i = 0; i < size; i++) {
            if (size > 2 * HOPS + 1 && i == HOPS) {
                text.append("->(").append(size - 2 * HOPS).append(" more)");
                i = size - HOPS - 1;
                continue;
            }
            text.append(i == 0 ? "" : "->").append(hop(path.get(i)));
        }
        return text.toString();
    }

    private static String hop(JsonMappingException.Reference reference) {
        Object from = reference.getFrom();
        String type = from == null ? "?" : from instanceof Class ? ((Class<?>) from).getName() : from.getClass().getName();
        return reference.getFieldName() != null ? type + "[\"" + reference.getFieldName() + "\"]"
                : type + "[" + reference.getIndex() + "]";
    }

    /** The text, cut to at most {@code max} characters. */
    static String cap(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
