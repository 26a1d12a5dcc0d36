package com.acme.shop.model;

import java.util.Objects;

public class Review {

    private long id;
    private long productId;
    private int rating;
    private String author;
    private String body;

    public Review() {
    }

    public long getId() {
        return id;
    }

    public void setId(long id) {
        this.id = id;
    }

    public long getProductId() {
        return productId;
    }

    public void setProductId(long productId) {
        this.productId = productId;
    }

    public int getRating() {
        return rating;
    }

    public void setRating(int rating) {
        this.rating = rating;
    }

    public String getAuthor() {
        return author;
    }

    public void setAuthor(String author) {
        this.author = author;
    }

    public String getBody() {
        return body;
    }

    public void setBody(String body) {
        this.body = body;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Review)) {
            return false;
        }
        Review other = (Review) o;
        return id == other.id
                && productId == other.productId
                && rating == other.rating
                && Objects.equals(author, other.author)
                && Objects.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, productId, rating, author, body);
    }

    @Override
    public String toString() {
        return "Review{id=" + id + ", productId=" + productId + ", rating=" + rating + "}";
    }
}
