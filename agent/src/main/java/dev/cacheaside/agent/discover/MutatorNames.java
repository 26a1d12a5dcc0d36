package dev.cacheaside.agent.discover;

import net.bytebuddy.description.method.MethodDescription;

import java.util.Arrays;
import java.util.List;

/**
 * Which watched methods count as possible mutators: those returning nothing, and those whose name
 * starts with a verb that writes ({@code save}, {@code update}, {@code delete} ... followed by a capital
 * or nothing). Such methods are never proposed for caching.
 */
final class MutatorNames {

    private static final List<String> WRITE_PREFIXES = Arrays.asList("save", "update", "delete", "remove", "insert",
            "create", "add", "put", "set", "change", "rename", "modify", "store", "write", "persist", "merge", "clear",
            "evict", "reset", "increment", "decrement", "register", "unregister", "cancel", "mark", "move", "assign",
            "upsert", "patch", "replace", "post", "send", "publish", "apply", "approve", "reject", "close", "open",
            "lock", "unlock", "enable", "disable", "import", "flush", "purge", "drop", "edit", "append", "push", "pop",
            "enqueue", "dequeue", "book", "reserve", "release", "transfer", "pay", "charge", "refund", "submit");

    private MutatorNames() {
    }

    static boolean mayChangeData(MethodDescription method) {
        if (method.getReturnType().represents(void.class)) {
            return true;
        }
        String name = method.getName();
        for (String prefix : WRITE_PREFIXES) {
            if (name.startsWith(prefix)
                    && (name.length() == prefix.length() || Character.isUpperCase(name.charAt(prefix.length())))) {
                return true;
            }
        }
        return false;
    }
}
