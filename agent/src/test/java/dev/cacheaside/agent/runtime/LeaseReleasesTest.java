package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.LeaseSettings;
import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.agent.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fill that ends while Redis is unreachable leaves its lease marker behind; recovery removes it. */
class LeaseReleasesTest {

    private static final byte[] ROW = "\"row\"".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    /** Redis that takes writes but whose replies are lost whenever {@code down} is set. */
    private static final class FlakyStore implements CacheStore {
        final MapStore map = new MapStore();
        volatile boolean down;
        volatile boolean refusing;

        private void answer() throws StoreException {
            if (down) {
                throw new StoreException("timed out", null, true);
            }
            if (refusing) {
                throw new StoreException("NOREPLICAS", null, false);
            }
        }

        @Override
        public byte[] get(String key) throws StoreException {
            answer();
            return map.get(key);
        }

        @Override
        public long remainingTtlMillis(String key) throws StoreException {
            answer();
            return map.remainingTtlMillis(key);
        }

        @Override
        public void set(String key, byte[] value, long ttlMillis) throws StoreException {
            answer();
            map.set(key, value, ttlMillis);
        }

        @Override
        public boolean setIfAbsent(String key, byte[] value, long ttlMillis) throws StoreException {
            boolean set = map.setIfAbsent(key, value, ttlMillis);
            answer();
            return set;
        }

        @Override
        public boolean replaceIfEquals(String key, byte[] expected, byte[] value, long ttlMillis)
                throws StoreException {
            answer();
            return map.replaceIfEquals(key, expected, value, ttlMillis);
        }

        @Override
        public void deleteIfEquals(String key, byte[] expected) throws StoreException {
            answer();
            map.deleteIfEquals(key, expected);
        }

        @Override
        public void delete(Collection<String> keys) throws StoreException {
            answer();
            map.delete(keys);
        }

        @Override
        public long deleteMatching(String pattern) throws StoreException {
            answer();
            return map.deleteMatching(pattern);
        }

        @Override
        public void ping() throws StoreException {
            answer();
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public String describe() {
            return "flaky";
        }

        @Override
        public void close() {
        }
    }

    private final FlakyStore store = new FlakyStore();
    private final Fills fills = new Fills(store);

    @Test
    void finish_redisUnreachable_markerReleasedOnRecovery() throws Exception {
        Fills.Lead lead = fills.begin("k", lease()).lead;
        assertNotNull(lead);
        store.down = true;
        assertThrows(StoreException.class, () -> fills.finish(lead, ROW, 60_000));
        assertTrue(Fills.isLease(store.map.get("k")), "the marker is still there");
        assertEquals(1, fills.releases().size());

        store.down = false;
        fills.releases().beforeResume(store);

        assertNull(store.map.get("k"), "no caller will wait lease-wait on a fill that ended");
        assertEquals(0, fills.releases().size());
    }

    @Test
    void abandon_redisUnreachable_markerReleasedOnRecovery() throws Exception {
        Fills.Lead lead = fills.begin("k", lease()).lead;
        store.down = true;
        fills.abandon(lead);
        store.down = false;
        fills.releases().beforeResume(store);

        assertNull(store.map.get("k"));
    }

    @Test
    void begin_setLandedButItsReplyLost_markerReleasedOnRecovery() throws Exception {
        store.down = true;
        assertTrue(fills.begin("k", lease()).bypass());
        assertTrue(Fills.isLease(store.map.get("k")));
        store.down = false;
        fills.releases().beforeResume(store);

        assertNull(store.map.get("k"));
    }

    @Test
    void beforeResume_keyHoldsAnotherValueByThen_leavesIt() throws Exception {
        Fills.Lead lead = fills.begin("k", lease()).lead;
        store.down = true;
        assertThrows(StoreException.class, () -> fills.finish(lead, ROW, 60_000));
        store.down = false;
        store.map.set("k", ROW, 60_000);  // another JVM's fill after an eviction
        fills.releases().beforeResume(store);

        assertEquals("\"row\"", new String(store.map.get("k"), StandardCharsets.UTF_8));
    }

    @Test
    void finish_redisAnswersAnError_nothingToReleaseLater() throws Exception {
        Fills.Lead lead = fills.begin("k", lease()).lead;
        store.refusing = true;
        assertThrows(StoreException.class, () -> fills.finish(lead, ROW, 60_000));

        assertEquals(0, fills.releases().size(), "a command Redis refused did not run");
    }

    @Test
    void beforeResume_redisStillDown_keepsTheMarkerForTheNextProbe() throws Exception {
        Fills.Lead lead = fills.begin("k", lease()).lead;
        store.down = true;
        assertThrows(StoreException.class, () -> fills.finish(lead, ROW, 60_000));

        assertThrows(StoreException.class, () -> fills.releases().beforeResume(store));
        assertEquals(1, fills.releases().size());
    }

    private LeaseSettings lease() throws Exception {
        Path conf = dir.resolve("agent.conf");
        Files.writeString(conf, "cache-aside.cache.r { method = \"com.example.fixture.Catalog#find\", key = \"r:{0}\","
                + " lease-ttl = 1m, lease-wait = 1m }\n");
        return AgentSettings.load(conf).cacheRules().get("r").lease();
    }
}
