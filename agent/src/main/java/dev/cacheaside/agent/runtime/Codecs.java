package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.codec.JsonCodec;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One codec per class loader. Jackson caches what it learns of a class (types, serializers, readers) for
 * the life of its mapper; with a codec per loader, that knowledge goes when the last binding of the
 * loader's classes does, instead of keeping an undeployed application's loader alive. Codecs are held
 * here weakly; the bindings that use one hold it, and are themselves held by their class.
 */
final class Codecs {

    private final JsonCodec bootLoaderCodec;
    private final Map<ClassLoader, WeakReference<JsonCodec>> byLoader = new WeakHashMap<>();
    private final Map<ClassLoader, JsonCodec> warmedBeforeBinding = new WeakHashMap<>();

    /** @param bootLoaderCodec the codec of classes of the boot loader, which is never collected */
    Codecs(JsonCodec bootLoaderCodec) {
        this.bootLoaderCodec = bootLoaderCodec;
    }

    /**
     * Makes and warms the loader's codec ahead of its first binding, on the agent's thread; held here until
     * that binding takes it. Until then it knows no class of the loader, so holding it keeps nothing alive.
     */
    void warmUp(ClassLoader loader) {
        JsonCodec codec;
        if (loader == null) {
            codec = bootLoaderCodec;
        } else {
            synchronized (byLoader) {
                WeakReference<JsonCodec> known = byLoader.get(loader);
                if (known != null && known.get() != null) {
                    return;
                }
                codec = new JsonCodec();
                warmedBeforeBinding.put(loader, codec);
                byLoader.put(loader, new WeakReference<>(codec));
            }
        }
        codec.warmUp();
    }

    /** The codec of the methods of classes defined by {@code loader}; called when a site binds, not per call. */
    JsonCodec forLoader(ClassLoader loader) {
        if (loader == null) {
            return bootLoaderCodec;
        }
        synchronized (byLoader) {
            warmedBeforeBinding.remove(loader);
            WeakReference<JsonCodec> known = byLoader.get(loader);
            JsonCodec codec = known == null ? null : known.get();
            if (codec == null) {
                codec = new JsonCodec();
                byLoader.put(loader, new WeakReference<>(codec));
            }
            return codec;
        }
    }
}
