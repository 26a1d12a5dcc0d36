package dev.cacheaside.agent.runtime;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueCopierTest {

    enum Status { ACTIVE, RETIRED }

    static class Entity {
        long id;
        final long createdAt = System.nanoTime();
    }

    static class Product extends Entity {
        String name;
        BigDecimal price;
        Status status;
        Instant updated;
        Date legacyDate;
        int[] ratings;
        Review[] highlights;
        List<Review> reviews = new ArrayList<>();
        Map<String, List<String>> attributes = new LinkedHashMap<>();

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Product)) {
                return false;
            }
            Product that = (Product) other;
            return id == that.id && Objects.equals(name, that.name) && Objects.equals(price, that.price)
                    && status == that.status && Objects.equals(updated, that.updated)
                    && Objects.equals(legacyDate, that.legacyDate) && java.util.Arrays.equals(ratings, that.ratings)
                    && java.util.Arrays.equals(highlights, that.highlights) && reviews.equals(that.reviews)
                    && attributes.equals(that.attributes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id);
        }
    }

    static class Review {
        String author;
        double stars;

        Review() {
        }

        Review(String author, double stars) {
            this.author = author;
            this.stars = stars;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Review && Objects.equals(author, ((Review) other).author)
                    && stars == ((Review) other).stars;
        }

        @Override
        public int hashCode() {
            return Objects.hash(author, stars);
        }
    }

    static class NoDefaultConstructor {
        final String value;

        NoDefaultConstructor(String value) {
            this.value = value;
        }
    }

    record Point(int x, int y) {
    }

    record Stamped(String name, Long version, Instant at, Status status, Point origin) {
    }

    record Dated(String name, Date at) {
    }

    record Tagged(String name, List<String> tags) {
    }

    record Priced(String name, BigDecimal price) {
    }

    static final class Reading {
        final String sensor;
        final long value;
        final LocalDate day;
        final Reading previous;

        Reading(String sensor, long value, LocalDate day, Reading previous) {
            this.sensor = sensor;
            this.value = value;
            this.day = day;
            this.previous = previous;
        }
    }

    static final class Counter {
        final String name;
        long count;

        Counter() {
            this.name = "requests";
        }
    }

    static final class Batch {
        final String name;
        final List<String> items;

        Batch() {
            this.name = "b";
            this.items = new ArrayList<>(List.of("x"));
        }
    }

    static class Open {
        final String name = "open";
    }

    static final class Sealed extends Open {
        final long id = 1;
    }

    static final class Exact extends BigDecimal {
        Exact() {
            super("1.5");
        }
    }

    private final ValueCopier copier = new ValueCopier();

    @Test
    void aGraphOfPlainClassesCollectionsAndJdkValues_isCopiedDeeplyAndEqual() {
        Product original = product();

        Product copy = (Product) copier.copy(original);

        assertEquals(original, copy);
        assertNotSame(original, copy);
        assertNotSame(original.reviews, copy.reviews);
        assertNotSame(original.reviews.get(0), copy.reviews.get(0));
        assertNotSame(original.attributes.get("colors"), copy.attributes.get("colors"));
        assertNotSame(original.legacyDate, copy.legacyDate);
        assertNotSame(original.ratings, copy.ratings);
        assertSame(original.price, copy.price, "immutable values are shared");
        assertEquals(original.createdAt, copy.createdAt, "final fields are copied, not left as constructed");

        copy.reviews.get(0).author = "changed";
        copy.attributes.get("colors").add("red");
        copy.legacyDate.setTime(0);
        copy.ratings[0] = 1;
        assertEquals(product(), original, "changing the copy leaves the original as it was");
    }

    @Test
    void typesItDoesNotKnow_answerNotCopyable_soTheCallerDecodes() {
        assertSame(ValueCopier.NOT_COPYABLE, copier.copy(new NoDefaultConstructor("x")));
        assertSame(ValueCopier.NOT_COPYABLE, copier.copy(new Tagged("t", new ArrayList<>(List.of("a")))));
        assertSame(ValueCopier.NOT_COPYABLE, copier.copy(Collections.unmodifiableList(new ArrayList<>(List.of(1)))));
        TreeMap<String, String> ordered = new TreeMap<>(Comparator.reverseOrder());
        ordered.put("a", "b");
        assertSame(ValueCopier.NOT_COPYABLE, copier.copy(ordered));
        Product holding = product();
        holding.attributes.put("odd", Collections.emptyList());
        assertSame(ValueCopier.NOT_COPYABLE, copier.copy(holding), "one unknown object anywhere in the graph");
    }

    @Test
    void nullAndImmutableValues_areThemselves() {
        assertEquals(null, copier.copy(null));
        assertSame("text", copier.copy("text"));
        assertSame(Status.ACTIVE, copier.copy(Status.ACTIVE));
    }

    @Test
    void recordsOfImmutableComponents_areShared() {
        Stamped stamped = new Stamped("a", 3L, Instant.EPOCH, Status.ACTIVE, new Point(1, 2));

        assertSame(stamped, copier.copy(stamped));
        assertSame(stamped.origin(), copier.copy(stamped.origin()));
    }

    @Test
    void recordsWithAMutableOrNonFinalComponent_areNotShared() {
        assertFalse(ImmutableTypes.isImmutable(Dated.class), "Date is mutable");
        assertFalse(ImmutableTypes.isImmutable(Tagged.class), "a List may change under it");
        assertFalse(ImmutableTypes.isImmutable(Priced.class), "BigDecimal's declared type admits subclasses");
        assertSame(ValueCopier.NOT_COPYABLE, copier.copy(new Dated("d", new Date(0))), "decoded from JSON instead");
    }

    @Test
    void finalClassOfFinalImmutableFields_isShared() {
        Reading reading = new Reading("s", 42L, LocalDate.of(2026, 1, 2), new Reading("s", 41L, null, null));

        assertTrue(ImmutableTypes.isImmutable(Reading.class), "a field of its own type is checked once");
        assertSame(reading, copier.copy(reading));
        assertTrue(ImmutableTypes.isImmutable(Sealed.class), "a final class over a superclass of final fields");
    }

    @Test
    void finalClassWithANonFinalField_isCopied() {
        Counter counter = new Counter();
        counter.count = 5;

        Counter copy = (Counter) copier.copy(counter);

        assertFalse(ImmutableTypes.isImmutable(Counter.class));
        assertNotSame(counter, copy);
        assertEquals(5, copy.count);
    }

    @Test
    void finalClassWithAListField_isCopied() {
        Batch batch = new Batch();

        Batch copy = (Batch) copier.copy(batch);

        assertFalse(ImmutableTypes.isImmutable(Batch.class));
        assertNotSame(batch, copy);
        assertNotSame(batch.items, copy.items);
        assertEquals(batch.items, copy.items);
    }

    @Test
    void subclassOfBigDecimal_isNotShared() {
        assertTrue(ImmutableTypes.isImmutable(BigDecimal.class));
        assertFalse(ImmutableTypes.isImmutable(Exact.class), "a subclass may add state of its own");
        assertNotSame(new Exact(), copier.copy(new Exact()));
    }

    @Test
    void collectionsArraysAndNonFinalClasses_areNeverImmutable() {
        assertFalse(ImmutableTypes.isImmutable(Collections.unmodifiableList(new ArrayList<>()).getClass()));
        assertFalse(ImmutableTypes.isImmutable(List.of("a").getClass()));
        assertFalse(ImmutableTypes.isImmutable(String[].class));
        assertFalse(ImmutableTypes.isImmutable(Open.class), "a subclass of it could add mutable state");
        assertFalse(ImmutableTypes.isImmutable(Date.class));
        assertFalse(ImmutableTypes.isImmutable(java.util.Optional.class), "holds an Object");
    }

    private static Product product() {
        Product product = new Product();
        product.id = 7;
        product.name = "lamp";
        product.price = new BigDecimal("49.90");
        product.status = Status.ACTIVE;
        product.updated = Instant.parse("2026-01-02T03:04:05Z");
        product.legacyDate = new Date(1_700_000_000_000L);
        product.ratings = new int[] {5, 4};
        product.highlights = new Review[] {new Review("ann", 5)};
        product.reviews.add(new Review("bob", 4.5));
        product.attributes.put("colors", new ArrayList<>(List.of("black", "white")));
        return product;
    }
}
