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

    /** @param bootLoaderCodec the codec of classes of the boot loader, which is never collected */
    Codecs(JsonCodec bootLoaderCodec) {
        this.bootLoaderCodec = bootLoaderCodec;
    }

    /** The codec of the methods of classes defined by {@code loader}; called when a site binds, not per call. */
    JsonCodec forLoader(ClassLoader loader) {
        if (loader == null) {
            return bootLoaderCodec;
        }
        synchronized (byLoader) {
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
