package com.acme.shop.db;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.sql.DataSource;

/**
 * Fills the catalog with the same demo data on every start: 20 categories of 100 products
 * each, product ids 1..2000 with SKU "SKU-00001".."SKU-02000", and about 100,000 reviews.
 */
public final class CatalogSeeder {

    public static final int CATEGORY_COUNT = 20;
    public static final int PRODUCT_COUNT = 2_000;

    /** Products whose id is a multiple of this are new listings without reviews. */
    public static final int UNREVIEWED_EVERY = 100;

    private static final long RANDOM_SEED = 20150601L;
    private static final long FIRST_UPDATE_MILLIS = 1_433_116_800_000L;
    private static final int UPDATE_SPREAD_SECONDS = 2 * 365 * 24 * 3600;
    private static final int BATCH_SIZE = 1_000;

    private static final String[][] CATEGORIES = {
        {"Kitchen", "Kettle", "Toaster", "Blender"},
        {"Lighting", "Desk Lamp", "Floor Lamp", "Pendant Light"},
        {"Office", "Desk Chair", "Standing Desk", "Monitor Arm"},
        {"Garden", "Hose Reel", "Pruning Shears", "Planter"},
        {"Outdoor", "Camping Stove", "Tent", "Cooler"},
        {"Audio", "Headphones", "Bookshelf Speaker", "Turntable"},
        {"Computing", "Mechanical Keyboard", "Wireless Mouse", "USB Hub"},
        {"Bath", "Towel Rack", "Shower Head", "Bath Mat"},
        {"Bedroom", "Duvet", "Pillow", "Bedside Table"},
        {"Storage", "Shelving Unit", "Storage Box", "Coat Rack"},
        {"Fitness", "Yoga Mat", "Kettlebell", "Jump Rope"},
        {"Tools", "Cordless Drill", "Tape Measure", "Socket Set"},
        {"Cleaning", "Vacuum Cleaner", "Mop", "Spray Bottle"},
        {"Travel", "Carry-On Suitcase", "Backpack", "Packing Cubes"},
        {"Baby", "Stroller", "High Chair", "Baby Monitor"},
        {"Pets", "Dog Bed", "Cat Tree", "Pet Feeder"},
        {"Cycling", "Bike Light", "Helmet", "Bike Lock"},
        {"Coffee", "Espresso Machine", "Coffee Grinder", "French Press"},
        {"Dining", "Dinner Plate Set", "Wine Glass", "Cutlery Set"},
        {"Stationery", "Notebook", "Fountain Pen", "Desk Organizer"},
    };
    private static final List<String> ADJECTIVES = List.of(
            "Classic", "Compact", "Deluxe", "Ergonomic", "Essential", "Heavy-Duty", "Lightweight",
            "Modern", "Portable", "Premium", "Rugged", "Smart", "Slim", "Vintage", "Eco");
    private static final List<String> MATERIALS = List.of(
            "Steel", "Oak", "Bamboo", "Aluminium", "Ceramic", "Walnut", "Carbon", "Copper", "Linen", "Glass");
    private static final List<String> AUDIENCES = List.of(
            "busy families", "small apartments", "professional users", "weekend hobbyists",
            "first-time buyers", "people who travel a lot", "shared offices", "students");
    private static final List<String> BENEFITS = List.of(
            "saves space without giving up comfort", "is quick to set up and easy to clean",
            "holds up to daily wear for years", "keeps running costs low",
            "looks good in any room", "is quieter than most models in its class");
    private static final List<String> EXTRAS = List.of(
            "Every unit is inspected by hand before it leaves our warehouse.",
            "Spare parts are available for at least five years after purchase.",
            "The packaging is fully recyclable and free of plastic foam.",
            "Our support team answers questions seven days a week.",
            "Customers often buy it together with other items from the same range.",
            "Assembly takes less than ten minutes with the included tool.");
    private static final List<String> FIRST_NAMES = List.of(
            "Anna", "Ben", "Carla", "David", "Elif", "Frank", "Grace", "Hugo", "Ines", "Jonas",
            "Kim", "Lena", "Marco", "Nora", "Omar", "Paula", "Rui", "Sofia", "Tom", "Yuki");
    private static final String[][] REVIEW_LINES = {
        {"Broke after a week.", "Not what the pictures suggest.", "Would not buy again."},
        {"Does the job, barely.", "Cheap feel for the price.", "Instructions were confusing."},
        {"Decent for the money.", "Works as described.", "Some rough edges but fine."},
        {"Very happy with it.", "Solid build quality.", "Arrived quickly and well packed."},
        {"Excellent, exceeded expectations.", "Best purchase this year.", "Buying a second one."},
    };
    private static final List<String> REVIEW_DETAILS = List.of(
            "I have used it every day since it arrived.",
            "My partner was sceptical at first but now uses it more than I do.",
            "Compared it with two other brands before deciding.",
            "Customer service replied within a day when I had a question.",
            "The colour is slightly different from the photos.",
            "It fits perfectly in the space I had planned for it.");

    private final DataSource dataSource;

    public CatalogSeeder(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts the demo data into empty tables and returns the number of reviews written. */
    public int seed() {
        Random random = new Random(RANDOM_SEED);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            insertCategories(connection);
            insertProducts(connection, random);
            int reviews = insertReviews(connection, random);
            connection.commit();
            return reviews;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot seed the catalog", e);
        }
    }

    private static void insertCategories(Connection connection) throws SQLException {
        String sql = "INSERT INTO category (id, name, description) VALUES (?, ?, ?)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < CATEGORY_COUNT; i++) {
                String[] category = CATEGORIES[i];
                statement.setLong(1, i + 1);
                statement.setString(2, category[0]);
                statement.setString(3, category[0] + ": " + category[1] + ", " + category[2] + ", "
                        + category[3] + " and more.");
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void insertProducts(Connection connection, Random random) throws SQLException {
        String sql = "INSERT INTO product (sku, name, description, price, category_id, status, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int id = 1; id <= PRODUCT_COUNT; id++) {
                int categoryIndex = (id - 1) % CATEGORY_COUNT;
                String noun = CATEGORIES[categoryIndex][1 + random.nextInt(3)];
                String adjective = pick(random, ADJECTIVES);
                String material = pick(random, MATERIALS);
                String model = (char) ('A' + random.nextInt(26)) + String.valueOf(100 + random.nextInt(900));
                String name = adjective + " " + material + " " + noun + " " + model;

                statement.setString(1, String.format(Locale.ROOT, "SKU-%05d", id));
                statement.setString(2, name);
                statement.setString(3, description(random, name, material));
                statement.setBigDecimal(4, BigDecimal.valueOf(499 + random.nextInt(49_500), 2));
                statement.setLong(5, categoryIndex + 1);
                statement.setString(6, random.nextInt(10) == 0 ? "DISCONTINUED" : "ACTIVE");
                long updatedAt = FIRST_UPDATE_MILLIS + random.nextInt(UPDATE_SPREAD_SECONDS) * 1000L;
                statement.setObject(7, OffsetDateTime.ofInstant(Instant.ofEpochMilli(updatedAt), ZoneOffset.UTC));
                statement.addBatch();
                if (id % BATCH_SIZE == 0) {
                    statement.executeBatch();
                }
            }
            statement.executeBatch();
        }
    }

    private static String description(Random random, String name, String material) {
        StringBuilder text = new StringBuilder()
                .append("The ").append(name).append(" is made of ").append(material.toLowerCase(Locale.ROOT))
                .append(" and designed for ").append(pick(random, AUDIENCES)).append(". It ")
                .append(pick(random, BENEFITS)).append('.');
        List<String> extras = new ArrayList<>(EXTRAS);
        Collections.shuffle(extras, random);
        for (int i = 0; text.length() < 280; i++) {
            text.append(' ').append(extras.get(i));
        }
        return text.toString();
    }

    private static int insertReviews(Connection connection, Random random) throws SQLException {
        String sql = "INSERT INTO review (product_id, rating, author, body) VALUES (?, ?, ?, ?)";
        int written = 0;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int productId = 1; productId <= PRODUCT_COUNT; productId++) {
                double quality = 1.5 + random.nextDouble() * 3.3;
                int count = productId % UNREVIEWED_EVERY == 0 ? 0 : 32 + random.nextInt(41);
                for (int i = 0; i < count; i++) {
                    int rating = (int) Math.max(1, Math.min(5, Math.round(quality + random.nextGaussian())));
                    statement.setLong(1, productId);
                    statement.setInt(2, rating);
                    statement.setString(3, pick(random, FIRST_NAMES) + " " + (char) ('A' + random.nextInt(26)) + ".");
                    statement.setString(4, pick(random, List.of(REVIEW_LINES[rating - 1])) + " "
                            + pick(random, REVIEW_DETAILS));
                    statement.addBatch();
                    if (++written % BATCH_SIZE == 0) {
                        statement.executeBatch();
                    }
                }
            }
            statement.executeBatch();
        }
        return written;
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
