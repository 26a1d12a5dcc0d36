package com.acme.shop.dao;

import com.acme.shop.db.SqlStatementCounter;
import com.acme.shop.model.CategorySummary;
import com.acme.shop.model.Product;
import com.acme.shop.model.ProductStatus;
import com.acme.shop.model.Review;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Single-product reads come back complete: row, category name, review statistics and the
 * three best reviews. List reads carry the statistics but leave topReviews empty, as the
 * list pages never show reviews. Public methods never call one another, so every
 * caller-visible operation is exactly one method invocation.
 */
public class JdbcProductDao extends JdbcDao implements ProductDao {

    private static final int SEARCH_LIMIT = 50;
    private static final int TOP_REVIEWS = 3;

    private static final String SELECT_PRODUCT =
            "SELECT p.id, p.sku, p.name, p.description, p.price, p.category_id, c.name AS category_name,"
            + " p.status, p.updated_at"
            + " FROM product p JOIN category c ON c.id = p.category_id";

    private static final String SELECT_BY_ID = SELECT_PRODUCT + " WHERE p.id = ?";

    // The window aggregates cover all of the product's reviews, not just the three returned.
    private static final String SELECT_TOP_REVIEWS =
            "SELECT id, product_id, rating, author, body,"
            + " COUNT(*) OVER () AS review_count,"
            + " ROUND(AVG(CAST(rating AS DOUBLE)) OVER (), 2) AS average_rating"
            + " FROM review WHERE product_id = ?"
            + " ORDER BY rating DESC, id LIMIT " + TOP_REVIEWS;

    // Ids are inlined rather than bound: H2 only uses a hash lookup for IN lists of constants,
    // with parameters it compares every review row against every id.
    private static final String SELECT_REVIEW_STATISTICS =
            "SELECT product_id, COUNT(*) AS review_count, ROUND(AVG(CAST(rating AS DOUBLE)), 2) AS average_rating"
            + " FROM review WHERE product_id IN (%s) GROUP BY product_id";

    private static final String SELECT_SUMMARY =
            "SELECT c.id, c.name, COUNT(p.id) AS product_count,"
            + " CAST(AVG(p.price) AS DECIMAL(10, 2)) AS average_price"
            + " FROM category c LEFT JOIN product p ON p.category_id = c.id AND p.status = ?"
            + " WHERE c.id = ? GROUP BY c.id, c.name";

    private final Executor executor;

    public JdbcProductDao(DataSource dataSource, SqlStatementCounter statementCounter, Executor executor) {
        super(dataSource, statementCounter);
        this.executor = executor;
    }

    @Override
    public Product findById(long id) {
        return withConnection(c -> loadProduct(c, SELECT_BY_ID, id));
    }

    @Override
    public List<Product> findByCategory(long categoryId) {
        return withConnection(c -> loadProducts(c,
                SELECT_PRODUCT + " WHERE p.category_id = ? ORDER BY p.id", categoryId));
    }

    @Override
    public List<Product> search(String text) {
        String pattern = "%" + escapeLike(text.toLowerCase(Locale.ROOT)) + "%";
        return withConnection(c -> loadProducts(c,
                SELECT_PRODUCT + " WHERE LOWER(p.name) LIKE ? ESCAPE '\\' OR LOWER(p.description) LIKE ? ESCAPE '\\'"
                        + " ORDER BY p.id LIMIT " + SEARCH_LIMIT,
                pattern, pattern));
    }

    @Override
    public Optional<Product> findBySku(String sku) {
        return withConnection(c -> Optional.ofNullable(loadProduct(c, SELECT_PRODUCT + " WHERE p.sku = ?", sku)));
    }

    @Override
    public CategorySummary summarize(long categoryId) {
        return withConnection(c -> loadSummary(c, categoryId));
    }

    @Override
    public Map<String, List<Long>> productIdsByStatus() {
        Map<String, List<Long>> idsByStatus = new LinkedHashMap<>();
        for (ProductStatus status : ProductStatus.values()) {
            idsByStatus.put(status.name(), new ArrayList<>());
        }
        List<Map.Entry<String, Long>> rows = withConnection(c -> query(c,
                "SELECT status, id FROM product ORDER BY id",
                row -> Map.entry(row.getString("status"), row.getLong("id"))));
        for (Map.Entry<String, Long> row : rows) {
            idsByStatus.computeIfAbsent(row.getKey(), status -> new ArrayList<>()).add(row.getValue());
        }
        return idsByStatus;
    }

    @Override
    public int countByCategory(long categoryId) {
        return withConnection(c -> queryForObject(c,
                "SELECT COUNT(*) FROM product WHERE category_id = ?", row -> row.getInt(1), categoryId));
    }

    @Override
    public CompletableFuture<CategorySummary> summarizeAsync(long categoryId) {
        return CompletableFuture.supplyAsync(() -> withConnection(c -> loadSummary(c, categoryId)), executor);
    }

    @Override
    public Product update(Product product) {
        return inTransaction(c -> {
            int updated = update(c, "UPDATE product SET sku = ?, name = ?, description = ?, price = ?,"
                            + " category_id = ?, status = ?, updated_at = ? WHERE id = ?",
                    product.getSku(), product.getName(), product.getDescription(), money(product.getPrice()),
                    product.getCategoryId(), statusName(product), now(), product.getId());
            if (updated == 0) {
                throw new ProductNotFoundException(product.getId());
            }
            return loadProduct(c, SELECT_BY_ID, product.getId());
        });
    }

    @Override
    public void updatePrice(long id, BigDecimal price) {
        int updated = withConnection(c -> update(c,
                "UPDATE product SET price = ?, updated_at = ? WHERE id = ?", money(price), now(), id));
        if (updated == 0) {
            throw new ProductNotFoundException(id);
        }
    }

    @Override
    public void delete(long id) {
        inTransaction(c -> {
            if (update(c, "DELETE FROM product WHERE id = ?", id) == 0) {
                throw new ProductNotFoundException(id);
            }
            return update(c, "DELETE FROM review WHERE product_id = ?", id);
        });
    }

    @Override
    public Product insert(Product product) {
        return inTransaction(c -> {
            long id = insertReturningKey(c, "INSERT INTO product"
                            + " (sku, name, description, price, category_id, status, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    product.getSku(), product.getName(), product.getDescription(), money(product.getPrice()),
                    product.getCategoryId(), statusName(product), now());
            return loadProduct(c, SELECT_BY_ID, id);
        });
    }

    private Product loadProduct(Connection connection, String sql, Object... params) throws SQLException {
        Product product = queryForObject(connection, sql, JdbcProductDao::toProduct, params);
        if (product == null) {
            return null;
        }
        List<RankedReview> ranked = query(connection, SELECT_TOP_REVIEWS, row -> new RankedReview(
                toReview(row), row.getInt("review_count"), row.getDouble("average_rating")), product.getId());
        for (RankedReview entry : ranked) {
            product.setReviewCount(entry.reviewCount());
            product.setAverageRating(entry.averageRating());
            product.getTopReviews().add(entry.review());
        }
        return product;
    }

    private List<Product> loadProducts(Connection connection, String sql, Object... params) throws SQLException {
        List<Product> products = query(connection, sql, JdbcProductDao::toProduct, params);
        if (products.isEmpty()) {
            return products;
        }
        Map<Long, Product> byId = products.stream()
                .collect(Collectors.toMap(Product::getId, Function.identity()));
        String ids = byId.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "));
        query(connection, String.format(SELECT_REVIEW_STATISTICS, ids), row -> {
            Product product = byId.get(row.getLong("product_id"));
            product.setReviewCount(row.getInt("review_count"));
            product.setAverageRating(row.getDouble("average_rating"));
            return product;
        });
        return products;
    }

    private CategorySummary loadSummary(Connection connection, long categoryId) throws SQLException {
        return queryForObject(connection, SELECT_SUMMARY, row -> new CategorySummary(
                row.getLong("id"), row.getString("name"), row.getInt("product_count"),
                row.getBigDecimal("average_price")), ProductStatus.ACTIVE.name(), categoryId);
    }

    private static Product toProduct(ResultSet row) throws SQLException {
        Product product = new Product();
        product.setId(row.getLong("id"));
        product.setSku(row.getString("sku"));
        product.setName(row.getString("name"));
        product.setDescription(row.getString("description"));
        product.setPrice(row.getBigDecimal("price"));
        product.setCategoryId(row.getLong("category_id"));
        product.setCategoryName(row.getString("category_name"));
        product.setStatus(ProductStatus.valueOf(row.getString("status")));
        product.setUpdatedAtEpochMillis(row.getObject("updated_at", OffsetDateTime.class).toInstant().toEpochMilli());
        return product;
    }

    private static Review toReview(ResultSet row) throws SQLException {
        Review review = new Review();
        review.setId(row.getLong("id"));
        review.setProductId(row.getLong("product_id"));
        review.setRating(row.getInt("rating"));
        review.setAuthor(row.getString("author"));
        review.setBody(row.getString("body"));
        return review;
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static BigDecimal money(BigDecimal amount) {
        return amount == null ? null : amount.setScale(2, RoundingMode.HALF_UP);
    }

    private static String statusName(Product product) {
        return product.getStatus() == null ? null : product.getStatus().name();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(System.currentTimeMillis()), ZoneOffset.UTC);
    }

    private record RankedReview(Review review, int reviewCount, double averageRating) {
    }
}
