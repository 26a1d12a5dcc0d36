package dev.cacheaside.agent.runtime;

import java.util.HashMap;
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
    private volatile Site[] sites = new Site[64];
    private int next;

    /** The id of a cached method, registering it on first sight. */
    public int registerCache(ClassLoader loader, String typeName, String methodName, String descriptor,
                             String ruleName, String methodSpec) {
        return register(loader, "C|" + typeName + "|" + methodName + descriptor + "|" + ruleName + "|" + methodSpec,
                id -> new CacheSite(id, ruleName, methodSpec, methodName, descriptor));
    }

    /** The id of a mutator, registering it on first sight. */
    public int registerEvict(ClassLoader loader, String typeName, String methodName, String descriptor,
                             String ruleName, String methodSpec) {
        return register(loader, "E|" + typeName + "|" + methodName + descriptor + "|" + ruleName + "|" + methodSpec,
                id -> new EvictSite(id, ruleName, methodSpec, methodName, descriptor));
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

    CacheSite cacheSite(int id) {
        Site[] current = sites;
        Site site = id >= 0 && id < current.length ? current[id] : null;
        return site instanceof CacheSite ? (CacheSite) site : null;
    }

    EvictSite evictSite(int id) {
        Site[] current = sites;
        Site site = id >= 0 && id < current.length ? current[id] : null;
        return site instanceof EvictSite ? (EvictSite) site : null;
    }
}
