package ar.connector.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real PostgreSQL at 127.0.0.1:5432 (database {@code test}, user {@code postgres}, as in CI) for
 * the persistence tests that run there too, each test class in a schema of its own, created for the
 * run and dropped afterwards. Where no PostgreSQL is reachable those classes are skipped, saying so.
 */
public final class PostgresSchema {

    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String USER = "postgres";
    public static final String SKIPPED = "PostgreSQL not reachable at 127.0.0.1:5432 — skipping PostgreSQL tests";

    private PostgresSchema() {
    }

    /** For {@code @EnabledIf("ar.connector.support.PostgresSchema#reachable")}: decided before any Spring context. */
    public static boolean reachable() {
        try (Connection connection = DriverManager.getConnection(URL + "?connectTimeout=3", USER, "")) {
            return connection.isValid(3);
        } catch (SQLException e) {
            return false;
        }
    }

    public static String newName() {
        return "conn_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Whether the schema could be created. */
    public static boolean create(String schema) {
        return execute("create schema " + schema);
    }

    public static void drop(String schema) {
        execute("drop schema if exists " + schema + " cascade");
    }

    /** Points the application's datasource at the schema. */
    public static void register(DynamicPropertyRegistry registry, String schema) {
        registry.add("spring.datasource.url", () -> URL + "?currentSchema=" + schema);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> "");
    }

    private static boolean execute(String sql) {
        try (Connection connection = DriverManager.getConnection(URL + "?connectTimeout=3", USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
