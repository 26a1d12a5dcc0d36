package com.acme.shop.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A catalog entry as shown on the product page: the row itself, its category name,
 * the review statistics and the best reviews.
 */
public class Product {

    private long id;
    private String sku;
    private String name;
    private String description;
    private BigDecimal price;
    private long categoryId;
    private String categoryName;
    private ProductStatus status;
    private double averageRating;
    private int reviewCount;
    private long updatedAtEpochMillis;
    private List<Review> topReviews = new ArrayList<>();

    public Product() {
    }

    public long getId() {
        return id;
    }

    public void setId(long id) {
        this.id = id;
    }

    public String getSku() {
        return sku;
    }

    public void setSku(String sku) {
        this.sku = sku;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public BigDecimal getPrice() {
        return price;
    }

    public void setPrice(BigDecimal price) {
        this.price = price;
    }

    public long getCategoryId() {
        return categoryId;
    }

    public void setCategoryId(long categoryId) {
        this.categoryId = categoryId;
    }

    public String getCategoryName() {
        return categoryName;
    }

    public void setCategoryName(String categoryName) {
        this.categoryName = categoryName;
    }

    public ProductStatus getStatus() {
        return status;
    }

    public void setStatus(ProductStatus status) {
        this.status = status;
    }

    public double getAverageRating() {
        return averageRating;
    }

    public void setAverageRating(double averageRating) {
        this.averageRating = averageRating;
    }

    public int getReviewCount() {
        return reviewCount;
    }

    public void setReviewCount(int reviewCount) {
        this.reviewCount = reviewCount;
    }

    public long getUpdatedAtEpochMillis() {
        return updatedAtEpochMillis;
    }

    public void setUpdatedAtEpochMillis(long updatedAtEpochMillis) {
        this.updatedAtEpochMillis = updatedAtEpochMillis;
    }

    public List<Review> getTopReviews() {
        return topReviews;
    }

    public void setTopReviews(List<Review> topReviews) {
        this.topReviews = topReviews == null ? new ArrayList<>() : topReviews;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Product)) {
            return false;
        }
        Product other = (Product) o;
        return id == other.id
                && categoryId == other.categoryId
                && Double.compare(averageRating, other.averageRating) == 0
                && reviewCount == other.reviewCount
                && updatedAtEpochMillis == other.updatedAtEpochMillis
                && Objects.equals(sku, other.sku)
                && Objects.equals(name, other.name)
                && Objects.equals(description, other.description)
                && Objects.equals(price, other.price)
                && Objects.equals(categoryName, other.categoryName)
                && status == other.status
                && Objects.equals(topReviews, other.topReviews);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, sku, name, description, price, categoryId, categoryName, status,
                averageRating, reviewCount, updatedAtEpochMillis, topReviews);
    }

    @Override
    public String toString() {
        return "Product{id=" + id + ", sku='" + sku + "', name='" + name + "', price=" + price
                + ", status=" + status + ", reviewCount=" + reviewCount + "}";
    }
}
