package ar.connector.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A fresh schema of the local PostgreSQL (database {@code test}, user {@code postgres}, as in CI)
 * migrated by the project's Flyway scripts, with as many connection pools on it as the test wants
 * (one per simulated replica); dropped on close.
 */
public final class PostgresSchema implements AutoCloseable {

    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String USER = "postgres";

    private final String name = "budget_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<HikariDataSource> pools = new ArrayList<>();

    /** Whether the local PostgreSQL answers (tests skip, saying so, where it does not). */
    public static boolean reachable() {
        try (Connection connection = DriverManager.getConnection(URL + "?connectTimeout=3", USER, "")) {
            return connection.isValid(3);
        } catch (SQLException e) {
            return false;
        }
    }

    public static PostgresSchema migrated() {
        PostgresSchema schema = new PostgresSchema();
        schema.execute("create schema " + schema.name);
        Flyway.configure().dataSource(schema.url(), USER, "").locations("classpath:db/migration").load().migrate();
        return schema;
    }

    public String url() {
        return URL + "?currentSchema=" + name;
    }

    /** A pool of its own, as one replica of the connector has. */
    public HikariDataSource pool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url());
        config.setUsername(USER);
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setPoolName(name + "-" + pools.size());
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
        execute("drop schema if exists " + name + " cascade");
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(URL + "?connectTimeout=3", USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
