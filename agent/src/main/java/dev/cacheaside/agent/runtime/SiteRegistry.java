package dev.cacheaside.agent.runtime;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.WeakHashMap;

/**
 * Numbers instrumented methods. Registration happens while a class is transformed; lookup happens on
 * every call, as one array read. A method transformed again under the same rule (a retransformation
 * after a reload) keeps its id.
 *
 * <p>Redeploys. A site refers to its class loader only weakly, and what it derives from its class is held
 * by the class ({@link ClassAnchors}), so the registry never keeps an undeployed application alive. Ids are
 * baked into woven code as constants; once a loader is collected no code of it can run again, so its
 * sites' ids are freed (found through a reference queue, at the next registration) and reused by the next
 * deployment: the registry stays as large as the loaders alive, however often applications are redeployed.
 */
public final class SiteRegistry {

    private final Object lock = new Object();
    private final Map<ClassLoader, Map<String, Integer>> idsByLoader = new WeakHashMap<>();
    /** Per live loader, the reference whose clearing frees its sites' ids. */
    private final Map<ClassLoader, LoaderSites> sitesByLoader = new WeakHashMap<>();
    private final ReferenceQueue<ClassLoader> collected = new ReferenceQueue<>();
    /** Every loader reference until it is polled: a reference that is itself unreachable is never enqueued. */
    private final List<LoaderSites> watchedLoaders = new ArrayList<>();
    private final Deque<Integer> freeIds = new ArrayDeque<>();
    private final Map<String, Integer> idsOfBootLoader = new HashMap<>();
    /** Per loader and class name, its methods that may change data: evict-rule and watched methods. */
    private final Map<ClassLoader, Map<String, List<Site>>> mutatorsByLoader = new WeakHashMap<>();
    private final Map<String, List<Site>> mutatorsOfBootLoader = new HashMap<>();
    private final Map<ClassLoader, Boolean> loadersBeforeListener = new java.util.WeakHashMap<>();
    private boolean bootLoaderBeforeListener;
    private volatile Consumer<ClassLoader> cacheSiteLoaders;
    private volatile Site[] sites = new Site[64];
    private int next;

    /** The id of a cached method, registering it on first sight. */
    public int registerCache(ClassLoader loader, String typeName, String methodName, String descriptor,
                             String ruleName, String methodSpec) {
        int id = register(loader, "C|" + typeName + "|" + methodName + descriptor + "|" + ruleName + "|" + methodSpec,
                newId -> new CacheSite(newId, ruleName, methodSpec, methodName, descriptor));
        Consumer<ClassLoader> listener = cacheSiteLoaders;
        if (listener != null) {
            listener.accept(loader);
        } else {
            synchronized (lock) {
                if (cacheSiteLoaders == null) {
                    if (loader == null) {
                        bootLoaderBeforeListener = true;
                    } else {
                        loadersBeforeListener.put(loader, Boolean.TRUE);
                    }
                } else {
                    cacheSiteLoaders.accept(loader);
                }
            }
        }
        return id;
    }

    /**
     * Tells {@code listener} of every loader whose classes get a cached method, those seen so far included;
     * called on the class-loading thread, so it must only hand the work on.
     */
    public void onCacheSiteLoader(Consumer<ClassLoader> listener) {
        synchronized (lock) {
            if (bootLoaderBeforeListener) {
                listener.accept(null);
            }
            for (ClassLoader seen : loadersBeforeListener.keySet()) {
                listener.accept(seen);
            }
            loadersBeforeListener.clear();
            cacheSiteLoaders = listener;
        }
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
            freeSitesOfCollectedLoaders();
            Map<String, Integer> ids = loader == null ? idsOfBootLoader
                    : idsByLoader.computeIfAbsent(loader, ignored -> new HashMap<>());
            Integer known = ids.get(identity);
            if (known != null) {
                return known;
            }
            int id = freeIds.isEmpty() ? next++ : freeIds.pop();
            if (loader != null) {
                LoaderSites loaderSites = sitesByLoader.get(loader);
                if (loaderSites == null) {
                    loaderSites = new LoaderSites(loader, collected);
                    sitesByLoader.put(loader, loaderSites);
                    watchedLoaders.add(loaderSites);
                }
                loaderSites.ids.add(id);
            }
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

    /** How many sites are registered for loaders still alive. */
    public int size() {
        synchronized (lock) {
            freeSitesOfCollectedLoaders();
            return next - freeIds.size();
        }
    }

    private void freeSitesOfCollectedLoaders() {
        for (Reference<? extends ClassLoader> gone; (gone = collected.poll()) != null; ) {
            watchedLoaders.remove(gone);
            Site[] current = sites;
            for (int id : ((LoaderSites) gone).ids) {
                current[id] = null;
                freeIds.push(id);
            }
            sites = current;
        }
    }

    /** The ids of one loader's sites, freed when the loader is collected. */
    private static final class LoaderSites extends WeakReference<ClassLoader> {
        final List<Integer> ids = new ArrayList<>();

        LoaderSites(ClassLoader loader, ReferenceQueue<ClassLoader> queue) {
            super(loader, queue);
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
