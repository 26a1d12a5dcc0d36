package dev.cacheaside.agent.cli;

import dev.cacheaside.agent.codec.JsonCodec;
import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.config.ConfigProblem;
import dev.cacheaside.agent.config.EvictRule;
import dev.cacheaside.agent.config.InvalidConfigException;
import dev.cacheaside.agent.config.KeyTemplate;
import dev.cacheaside.agent.config.MethodSpec;
import dev.cacheaside.agent.matching.InheritedMethods;
import dev.cacheaside.agent.matching.RuleMatcher;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * {@code check agent.conf --classpath app.jar[:more]}: reads the application's classes without
 * running them and prints, per rule, the methods it matches, then every problem. Exit code 0 when
 * there is no error, 1 otherwise, so that it can gate a deployment.
 */
final class CheckCommand {

    private final PrintStream out;
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private CheckCommand(PrintStream out) {
        this.out = out;
    }

    static int run(String[] arguments, PrintStream out) throws CommandException {
        String config = null;
        String classPath = null;
        for (int i = 1; i < arguments.length; i++) {
            if (arguments[i].equals("--classpath") || arguments[i].equals("-cp")) {
                if (i + 1 >= arguments.length) {
                    throw new CommandException("--classpath needs a value: app.jar[:dir:...]");
                }
                classPath = arguments[++i];
            } else if (config == null) {
                config = arguments[i];
            } else {
                throw new CommandException("unexpected argument '" + arguments[i] + "'");
            }
        }
        if (config == null || classPath == null) {
            throw new CommandException("usage: check agent.conf --classpath app.jar[:dir:...]");
        }
        return new CheckCommand(out).check(config, classPath);
    }

    private int check(String config, String classPath) throws CommandException {
        AgentSettings settings;
        try {
            settings = AgentSettings.load(Paths.get(config));
        } catch (InvalidConfigException e) {
            errors.add(e.getMessage());
            e.problems().forEach(problem -> errors.add(problem.toString()));
            return finish();
        }
        for (ConfigProblem problem : settings.problems()) {
            (problem.isWarning() ? warnings : errors).add(problem.toString());
        }
        out.println("config " + settings.file() + ": " + settings.cacheRules().size() + " cache rule(s), "
                + settings.evictRules().size() + " evict rule(s); Redis at " + settings.redis().describe());
        try (ClassPath classes = new ClassPath(classPath)) {
            TypePool pool = TypePool.Default.of(classes.locator());
            Map<String, List<String>> matches = matchAll(settings, classes, pool);
            for (CacheRule rule : settings.cacheRules().values()) {
                report("cache", rule.name(), rule.origin(), rule.method(), matches.get("cache." + rule.name()), pool,
                        (type, method) -> checkCacheMethod(rule, type, method));
            }
            for (EvictRule rule : settings.evictRules().values()) {
                report("evict", rule.name(), rule.origin(), rule.method(), matches.get("evict." + rule.name()), pool,
                        (type, method) -> checkEvictMethod(rule, type, method));
            }
        }
        return finish();
    }

    /** Runs every rule over every class, as the agent would at class load; notes methods two rules claim. */
    private Map<String, List<String>> matchAll(AgentSettings settings, ClassPath classes, TypePool pool) {
        Map<String, List<String>> matches = new TreeMap<>();
        for (String name : classes.classNames()) {
            TypeDescription type;
            try {
                TypePool.Resolution resolution = pool.describe(name);
                if (!resolution.isResolved()) {
                    continue;
                }
                type = resolution.resolve();
                if (type.isAnnotation() || type.getName().contains("$$")) {
                    continue;
                }
                java.util.Set<String> superTypes = RuleMatcher.superTypeNames(type);
                for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
                    if (!method.isMethod() || method.isAbstract() || method.isNative() || method.isSynthetic()
                            || method.isBridge()) {
                        continue;
                    }
                    List<String> claimedBy = new ArrayList<>();
                    for (CacheRule rule : settings.cacheRules().values()) {
                        if (superTypes.contains(rule.method().typeName()) && RuleMatcher.matches(rule.method(), method, type)) {
                            claimedBy.add("cache." + rule.name());
                            checkCacheMethod(rule, type, method);
                        }
                    }
                    for (EvictRule rule : settings.evictRules().values()) {
                        if (superTypes.contains(rule.method().typeName()) && RuleMatcher.matches(rule.method(), method, type)) {
                            claimedBy.add("evict." + rule.name());
                            checkEvictMethod(rule, type, method);
                        }
                    }
                    String where = type.getName() + "#" + method.getInternalName() + method.getDescriptor();
                    for (String rule : claimedBy) {
                        matches.computeIfAbsent(rule, ignored -> new ArrayList<>()).add(where);
                    }
                    if (claimedBy.size() > 1) {
                        errors.add(where + ": rules " + claimedBy + " all apply to this method; only "
                                + claimedBy.get(0) + " takes effect");
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                warnings.add(name + ": cannot be read (" + e + "); rules cannot apply to it");
            }
        }
        return matches;
    }

    private void checkCacheMethod(CacheRule rule, TypeDescription type, MethodDescription method) {
        String where = "cache." + rule.name() + " on " + type.getName() + "#" + method.getInternalName();
        TypeDescription returned = method.getReturnType().asErasure();
        if (returned.represents(void.class)) {
            errors.add(where + ": returns void; a cache rule needs a return value");
            return;
        }
        String unreadable = unreadable(returned);
        if (unreadable != null) {
            errors.add(where + ": returns " + returned.getActualName() + ", " + unreadable);
        }
        checkTemplate(where, rule.key(), method);
    }

    private void checkEvictMethod(EvictRule rule, TypeDescription type, MethodDescription method) {
        String where = "evict." + rule.name() + " on " + type.getName() + "#" + method.getInternalName();
        for (KeyTemplate key : rule.keys()) {
            checkTemplate(where, key, method);
        }
    }

    /** Why JSON of this type cannot be read back, or null when it can. */
    private static String unreadable(TypeDescription type) {
        String name = type.getName();
        if (name.equals("java.util.stream.Stream") || name.equals("java.util.Iterator")
                || name.startsWith("java.io.") || name.startsWith("java.sql.") && !name.equals("java.sql.Date")
                && !name.equals("java.sql.Timestamp") && !name.equals("java.sql.Time")) {
            return "which is a handle or a stream, not a value: it cannot be cached";
        }
        boolean known = name.startsWith("java.util.") || name.startsWith("java.lang.") || name.startsWith("java.time.")
                || name.startsWith("java.math.") || name.startsWith("java.util.concurrent.");
        if (!known && (type.isInterface() || type.isAbstract()) && !type.isPrimitive() && !type.isArray()
                && !JsonCodec.readsAbstractType(name)) {
            return "an " + (type.isInterface() ? "interface" : "abstract class")
                    + ": a stored value cannot be read back as it (values are read only as the declared type)";
        }
        return null;
    }

    private void checkTemplate(String where, KeyTemplate template, MethodDescription method) {
        int parameters = method.getParameters().size();
        for (KeyTemplate.Part part : template.parts()) {
            if (part instanceof KeyTemplate.Argument) {
                KeyTemplate.Argument argument = (KeyTemplate.Argument) part;
                if (argument.index() >= parameters) {
                    errors.add(where + ": key '" + template + "' names argument " + argument.index() + " but the method"
                            + " has " + parameters + " parameter(s)");
                } else {
                    checkPath(where, template, method.getParameters().get(argument.index()).getType().asErasure(),
                            argument.path(), "argument " + argument.index());
                }
            } else if (part instanceof KeyTemplate.Result) {
                checkPath(where, template, method.getReturnType().asErasure(), ((KeyTemplate.Result) part).path(),
                        "the result");
            }
        }
    }

    /** Follows a property path through declared types, as far as they tell. */
    private void checkPath(String where, KeyTemplate template, TypeDescription type, List<String> path, String what) {
        TypeDescription current = type;
        for (String property : path) {
            if (current.represents(void.class)) {
                errors.add(where + ": key '" + template + "' reads '" + property + "' of " + what
                        + ", but the method returns void");
                return;
            }
            if (current.isInterface() || current.represents(Object.class) || current.getName().startsWith("java.util.")) {
                return;
            }
            TypeDescription next = propertyType(current, property);
            if (next == null) {
                errors.add(where + ": key '" + template + "': " + current.getName() + " (" + what + ") has no getter,"
                        + " accessor or field '" + property + "'");
                return;
            }
            current = next;
        }
    }

    private static TypeDescription propertyType(TypeDescription type, String property) {
        String capitalized = Character.toUpperCase(property.charAt(0)) + property.substring(1);
        for (TypeDescription current = type; current != null; current = current.getSuperClass() == null ? null
                : current.getSuperClass().asErasure()) {
            for (MethodDescription.InDefinedShape method : current.getDeclaredMethods()) {
                String name = method.getName();
                if (method.getParameters().isEmpty() && !method.isStatic() && (name.equals("get" + capitalized)
                        || name.equals("is" + capitalized) || name.equals(property))) {
                    return method.getReturnType().asErasure();
                }
            }
            for (net.bytebuddy.description.field.FieldDescription.InDefinedShape field : current.getDeclaredFields()) {
                if (field.getName().equals(property) && !field.isStatic()) {
                    return field.getType().asErasure();
                }
            }
        }
        return null;
    }

    private void report(String kind, String name, String origin, MethodSpec spec, List<String> matched, TypePool pool,
                        BiConsumer<TypeDescription, MethodDescription> checkMethod) {
        out.println();
        out.println(kind + " " + name + "  (" + origin + ")  " + spec);
        if (matched != null && !matched.isEmpty()) {
            matched.forEach(method -> out.println("  matches " + method));
            warnOverloads(kind, name, spec, matched);
            return;
        }
        TypePool.Resolution resolution = pool.describe(spec.typeName());
        if (!resolution.isResolved()) {
            out.println("  matches nothing");
            errors.add(kind + "." + name + " (" + origin + "): no class " + spec.typeName() + " on the class path");
            return;
        }
        TypeDescription type = resolution.resolve();
        if (type.isInterface() && reportProxy(kind, name, spec, type, checkMethod)) {
            return;
        }
        out.println("  matches nothing");
        List<String> overloads = new ArrayList<>();
        for (MethodDescription method : InheritedMethods.visible(type, spec.methodName())) {
            String written = written(method);
            if (!overloads.contains(written)) {
                overloads.add(written);
            }
        }
        String rule = kind + "." + name + " (" + origin + "): ";
        if (overloads.isEmpty()) {
            errors.add(rule + spec.typeName() + " has no method '" + spec.methodName() + "', declared or inherited");
        } else if (!spec.anyParameters()) {
            errors.add(rule + "the parameter list of " + spec + " matches no overload; there are: " + overloads);
        } else {
            errors.add(rule + spec + " has no concrete implementation on the class path");
        }
    }

    /**
     * A rule on an interface that no class on the class path implements (a Spring Data repository): the
     * agent applies it to the JDK proxy made at run time, whose methods are the interface's.
     */
    private boolean reportProxy(String kind, String name, MethodSpec spec, TypeDescription type,
                                BiConsumer<TypeDescription, MethodDescription> checkMethod) {
        List<String> matched = new ArrayList<>();
        for (MethodDescription method : InheritedMethods.ofProxy(type)) {
            MethodDescription.InDefinedShape declared = method.asDefined();
            if (RuleMatcher.matches(spec, declared, type)) {
                String where = type.getName() + "#" + declared.getInternalName() + declared.getDescriptor();
                out.println("  matches " + where + " on its runtime proxy (" + written(method) + " of "
                        + declared.getDeclaringType().asErasure().getName() + ")");
                matched.add(where);
                checkMethod.accept(type, method);
            }
        }
        if (matched.isEmpty()) {
            return false;
        }
        notes.add(kind + "." + name + ": no class on the class path implements the interface " + type.getName()
                + "; the rule applies to the proxy that implements it at run time (a Spring Data repository,"
                + " a JDK dynamic proxy)");
        warnOverloads(kind, name, spec, matched);
        return true;
    }

    /** A method as a rule writes it, type variables bound: {@code findById(java.lang.Long)}. */
    private static String written(MethodDescription method) {
        return method.getInternalName() + "(" + String.join(", ", InheritedMethods.erasedParameters(method)) + ")";
    }

    private void warnOverloads(String kind, String name, MethodSpec spec, List<String> matched) {
        if (!spec.anyParameters()) {
            return;
        }
        Map<String, Integer> perClass = new LinkedHashMap<>();
        for (String method : matched) {
            perClass.merge(method.substring(0, method.indexOf('#')), 1, Integer::sum);
        }
        perClass.forEach((type, count) -> {
            if (count > 1) {
                warnings.add(kind + "." + name + ": " + spec + " has no parameter list and matches " + count
                        + " overloads in " + type + "; add one, e.g. " + spec.methodName() + "(long), to pick");
            }
        });
    }

    private int finish() {
        out.println();
        if (errors.isEmpty() && warnings.isEmpty()) {
            out.println("no problems found");
        }
        errors.forEach(error -> out.println("ERROR " + error));
        warnings.forEach(warning -> out.println("WARN  " + warning));
        notes.forEach(note -> out.println("NOTE  " + note));
        out.println(errors.size() + " error(s), " + warnings.size() + " warning(s)");
        return errors.isEmpty() ? 0 : 1;
    }
}
