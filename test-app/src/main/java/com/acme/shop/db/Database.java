package com.acme.shop.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The embedded catalog database and its connection pool.
 */
public final class Database implements AutoCloseable {

    // Without OPTIMIZE_REUSE_RESULTS=FALSE, H2 hands back the previous result of an
    // identical query on the same connection, a shortcut no production database takes.
    private static final String URL = "jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1;OPTIMIZE_REUSE_RESULTS=FALSE";
    private static final int MAX_CONNECTIONS = 16;
    private static final String SCHEMA_RESOURCE = "/db/schema.sql";

    private final JdbcConnectionPool pool;

    private Database(JdbcConnectionPool pool) {
        this.pool = pool;
    }

    /** Connects to the in-memory catalog; the schema survives as long as the JVM does. */
    public static Database connect() {
        JdbcConnectionPool pool = JdbcConnectionPool.create(URL, "sa", "");
        pool.setMaxConnections(MAX_CONNECTIONS);
        return new Database(pool);
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Drops everything and creates empty tables. */
    public void recreateSchema() {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            String script = readSchema().replaceAll("(?m)^\\s*--.*$", "");
            for (String sql : script.split(";")) {
                if (!sql.isBlank()) {
                    statement.execute(sql.trim());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the catalog schema", e);
        }
    }

    private static String readSchema() {
        try (InputStream in = Database.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + SCHEMA_RESOURCE + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
