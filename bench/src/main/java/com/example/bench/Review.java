package com.example.bench;

/** A nested value of the benchmark's product. */
public class Review {

    private long id;
    private String author;
    private int rating;
    private String text;

    public Review() {
    }

    public Review(long id, String author, int rating, String text) {
        this.id = id;
        this.author = author;
        this.rating = rating;
        this.text = text;
    }

    public long getId() {
        return id;
    }

    public String getAuthor() {
        return author;
    }

    public int getRating() {
        return rating;
    }

    public String getText() {
        return text;
    }
}
