package dev.cacheaside.agent.discover;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class SuggestedConfigTest {

    private static final long MS = 1_000_000L;

    private final MutationLog log = new MutationLog();
    private final WatchedMethod findById = new WatchedMethod(0, "com.acme.ProductDao", "findById", List.of("long"),
            true, false, null);
    private final WatchedMethod findByCategory = new WatchedMethod(1, "com.acme.ProductDao", "findByCategory",
            List.of("long"), true, false, null);
    private final WatchedMethod updatePrice = new WatchedMethod(2, "com.acme.ProductDao", "updatePrice",
            List.of("long", "java.math.BigDecimal"), false, true, null);
    private final WatchedMethod audit = new WatchedMethod(3, "com.acme.AuditService", "record", List.of("java.lang.String"),
            false, true, null);

    @Test
    void render_mutatorWithTheReadersKey_evictsByKey_aCoincidentalMatch_evictsTheCache() {
        long now = 0;
        int[] version = new int[10];
        for (int round = 0; round < 40; round++) {
            for (int id = 1; id <= 4; id++) {
                now += MS;
                log.add(audit.id, new String[] {"read"}); // runs before every read: explains nothing
                findById.count(now, 2 * MS);
                findById.analyse(now, String.valueOf(id), new String[] {String.valueOf(id)}, version[id], 100, log);
                // products 1 and 2 are in category 1, 3 and 4 in category 2: product 1 shares its number
                // with its category, by chance
                long category = id <= 2 ? 1 : 2;
                long categoryVersion = category == 1 ? version[1] + 100L * version[2] : version[3] + 100L * version[4];
                findByCategory.count(now, 5 * MS);
                findByCategory.analyse(now, String.valueOf(category), new String[] {String.valueOf(category)},
                        categoryVersion, 900, log);
            }
            if (round % 5 == 4) {
                int id = 1 + (round / 5) % 4;
                version[id]++;
                log.add(updatePrice.id, new String[] {String.valueOf(id), "9.99"});
            }
        }
        String text = new SuggestedConfig("# test\n", List.of(findById.evidence(now), findByCategory.evidence(now),
                updatePrice.evidence(now), audit.evidence(now))).render();

        assertTrue(text.contains("product-dao-find-by-id { method = \"com.acme.ProductDao#findById(long)\","
                + " key = \"product-dao-find-by-id:{0}\""), text);
        assertTrue(text.contains("each after ProductDao#updatePrice(long, BigDecimal)"), text);
        assertTrue(text.contains("product-dao-update-price { method = \"com.acme.ProductDao#updatePrice(long,"
                + " java.math.BigDecimal)\", keys = [\"product-dao-find-by-id:{0}\"], caches = [\"product-dao-find-by-category\"] }"),
                text);
        assertTrue(!text.contains("audit-service-record {"), text);
    }
}
