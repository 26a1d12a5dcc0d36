package com.acme.shop.dao;

import com.acme.shop.model.CategorySummary;
import com.acme.shop.model.Product;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

public interface ProductDao {

    /** The product with its category name, review statistics and top reviews, or null when absent. */
    Product findById(long id);

    /** All products of the category in id order, each with its review statistics and top reviews. */
    List<Product> findByCategory(long categoryId);

    /** Products whose name or description contains the text, ignoring case; at most 50, in id order. */
    List<Product> search(String text);

    Optional<Product> findBySku(String sku);

    /** Null when the category does not exist. */
    CategorySummary summarize(long categoryId);

    /** Product ids grouped by status name; every status is present, ids ascending. */
    Map<String, List<Long>> productIdsByStatus();

    /** Counts products of every status, unlike {@link #summarize(long)}. */
    int countByCategory(long categoryId);

    /** Same as {@link #summarize(long)}, computed on the DAO's own executor. */
    CompletableFuture<CategorySummary> summarizeAsync(long categoryId);

    /**
     * Overwrites every editable column of the product with the given id and returns it as
     * {@link #findById(long)} would now.
     *
     * @throws ProductNotFoundException when no product has that id
     */
    Product update(Product product);

    /** @throws ProductNotFoundException when no product has that id */
    void updatePrice(long id, BigDecimal price);

    /**
     * Removes the product and its reviews.
     *
     * @throws ProductNotFoundException when no product has that id
     */
    void delete(long id);

    /** Stores a new product and returns it as {@link #findById(long)} would, with its generated id. */
    Product insert(Product product);
}
