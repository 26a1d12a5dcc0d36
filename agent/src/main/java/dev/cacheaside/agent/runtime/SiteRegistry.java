package dev.cacheaside.agent.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Numbers instrumented methods. Registration happens while a class is transformed; lookup happens on
 * every call, as one array read. A method transformed again under the same rule (a retransformation
 * after a reload) keeps its id.
 */
public final class SiteRegistry {

    private final Object lock = new Object();
    private final Map<ClassLoader, Map<String, Integer>> idsByLoader = new WeakHashMap<>();
    private final Map<String, Integer> idsOfBootLoader = new HashMap<>();
    /** Per loader and class name, its methods that may change data: evict-rule and watched methods. */
    private final Map<ClassLoader, Map<String, List<Site>>> mutatorsByLoader = new WeakHashMap<>();
    private final Map<String, List<Site>> mutatorsOfBootLoader = new HashMap<>();
    private volatile Site[] sites = new Site[64];
    private int next;

    /** The id of a cached method, registering it on first sight. */
    public int registerCache(ClassLoader loader, String typeName, String methodName, String descriptor,
                             String ruleName, String methodSpec) {
        return register(loader, "C|" + typeName + "|" + methodName + descriptor + "|" + ruleName + "|" + methodSpec,
                id -> new CacheSite(id, ruleName, methodSpec, methodName, descriptor));
    }

    /** The id of a mutator, registering it on first sight; {@code signature} is how the audit names it. */
    public int registerEvict(ClassLoader loader, String typeName, String methodName, String descriptor,
                             String signature, String ruleName, String methodSpec) {
        int id = register(loader, "E|" + typeName + "|" + methodName + descriptor + "|" + ruleName + "|"
                + methodSpec, newId -> new EvictSite(newId, ruleName, methodSpec, methodName, descriptor, signature));
        addMutator(loader, typeName, id);
        return id;
    }

    /** The id of a method watched for the audit, registering it on first sight. */
    public int registerWatch(ClassLoader loader, String typeName, String methodName, String descriptor,
                             String signature) {
        int id = register(loader, "W|" + typeName + "|" + methodName + descriptor,
                newId -> new WatchSite(newId, methodName, descriptor, signature));
        addMutator(loader, typeName, id);
        return id;
    }

    private void addMutator(ClassLoader loader, String typeName, int id) {
        synchronized (lock) {
            Map<String, List<Site>> byType = loader == null ? mutatorsOfBootLoader
                    : mutatorsByLoader.computeIfAbsent(loader, ignored -> new HashMap<>());
            List<Site> mutators = byType.computeIfAbsent(typeName, ignored -> new ArrayList<>());
            Site site = sites[id];
            if (!mutators.contains(site)) {
                mutators.add(site);
            }
        }
    }

    /** The methods of this class that may change data and that the agent instruments. */
    List<Site> mutatorsOf(Class<?> type) {
        synchronized (lock) {
            ClassLoader loader = type.getClassLoader();
            Map<String, List<Site>> byType = loader == null ? mutatorsOfBootLoader : mutatorsByLoader.get(loader);
            List<Site> mutators = byType == null ? null : byType.get(type.getName());
            return mutators == null ? Collections.emptyList() : new ArrayList<>(mutators);
        }
    }

    private interface SiteFactory {
        Site create(int id);
    }

    private int register(ClassLoader loader, String identity, SiteFactory factory) {
        synchronized (lock) {
            Map<String, Integer> ids = loader == null ? idsOfBootLoader
                    : idsByLoader.computeIfAbsent(loader, ignored -> new HashMap<>());
            Integer known = ids.get(identity);
            if (known != null) {
                return known;
            }
            int id = next++;
            Site[] current = sites;
            if (id >= current.length) {
                Site[] grown = new Site[current.length * 2];
                System.arraycopy(current, 0, grown, 0, current.length);
                current = grown;
            }
            current[id] = factory.create(id);
            sites = current; // volatile write publishes the new element
            ids.put(identity, id);
            return id;
        }
    }

    /** The site of any kind, or null. */
    Site site(int id) {
        Site[] current = sites;
        return id >= 0 && id < current.length ? current[id] : null;
    }

    CacheSite cacheSite(int id) {
        Site[] current = sites;
        Site site = id >= 0 && id < current.length ? current[id] : null;
        return site instanceof CacheSite ? (CacheSite) site : null;
    }
}
