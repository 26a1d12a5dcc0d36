package com.acme.shop.dao;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.shop.db.CatalogSeeder;
import com.acme.shop.db.Database;
import com.acme.shop.db.SqlStatementCounter;
import com.acme.shop.model.CategorySummary;
import com.acme.shop.model.Product;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java-level contract of the DAO: nulls, empty optionals, exceptions and statement counts.
 * Reseeds the shared in-memory catalog, so it only reads.
 */
class JdbcProductDaoTest {

    private static Database database;
    private static ExecutorService executor;
    private static SqlStatementCounter statements;
    private static ProductDao products;

    @BeforeAll
    static void seedCatalog() {
        database = Database.connect();
        database.recreateSchema();
        new CatalogSeeder(database.dataSource()).seed();
        executor = Executors.newSingleThreadExecutor();
        statements = new SqlStatementCounter();
        products = new JdbcProductDao(database.dataSource(), statements, executor);
    }

    @AfterAll
    static void release() {
        executor.shutdownNow();
        database.close();
    }

    @Test
    void findById_absent_returnsNull() {
        assertNull(products.findById(999_999));
    }

    @Test
    void findById_existing_returnsEqualProductEachTime() {
        Product first = products.findById(7);

        assertEquals(first, products.findById(7));
        assertEquals(3, first.getTopReviews().size());
        assertEquals("SKU-00007", first.getSku());
    }

    @Test
    void findBySku_absent_returnsEmpty() {
        assertTrue(products.findBySku("SKU-99999").isEmpty());
    }

    @Test
    void summarize_absentCategory_returnsNull() {
        assertNull(products.summarize(99));
    }

    @Test
    void summarizeAsync_completesWithSameSummary() {
        CategorySummary summary = products.summarize(5);

        assertEquals(summary, products.summarizeAsync(5).join());
        assertEquals(5, summary.categoryId());
        assertTrue(summary.averagePrice().compareTo(BigDecimal.ZERO) > 0);
    }

    @Test
    void countByCategory_countsAllProductsOfTheCategory() {
        assertEquals(100, products.countByCategory(3));
    }

    @Test
    void productIdsByStatus_coversEverySeededProductOnce() {
        Map<String, List<Long>> idsByStatus = products.productIdsByStatus();

        assertEquals(List.of("ACTIVE", "DISCONTINUED"), List.copyOf(idsByStatus.keySet()));
        assertEquals(CatalogSeeder.PRODUCT_COUNT,
                idsByStatus.get("ACTIVE").size() + idsByStatus.get("DISCONTINUED").size());
    }

    @Test
    void writes_toAbsentProduct_throwProductNotFound() {
        Product ghost = products.findById(1);
        ghost.setId(999_999);

        assertThrows(ProductNotFoundException.class, () -> products.update(ghost));
        assertThrows(ProductNotFoundException.class, () -> products.updatePrice(999_999, BigDecimal.ONE));
        assertThrows(ProductNotFoundException.class, () -> products.delete(999_999));
    }

    @Test
    void statementCounter_countsEveryStatementOfEachRead() {
        assertStatements(2, () -> products.findById(1));
        assertStatements(1, () -> products.findById(999_999));
        assertStatements(2, () -> products.findByCategory(3));
        assertStatements(2, () -> products.search("kettle"));
        assertStatements(1, () -> products.search("zzzz"));
        assertStatements(1, () -> products.summarize(3));
        assertStatements(1, () -> products.countByCategory(3));
        assertStatements(1, () -> products.productIdsByStatus());
    }

    private static void assertStatements(long expected, Runnable read) {
        long before = statements.get();
        read.run();
        assertEquals(expected, statements.get() - before);
    }
}
