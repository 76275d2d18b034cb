package ar.connector.links;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ar.connector.support.ConnectorTest;

/**
 * The same link API and persistence tests on the real PostgreSQL at 127.0.0.1:5432 (database
 * {@code test}, user {@code postgres}, as in CI), in a schema of its own created for this run and
 * dropped afterwards. Skipped, saying so, where no PostgreSQL is reachable.
 */
@ConnectorTest
@EnabledIf(value = "postgresReachable", disabledReason = PostgresLinkApiTest.SKIPPED)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PostgresLinkApiTest extends AbstractLinkApiTest {

    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String USER = "postgres";
    static final String SCHEMA = "conn_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    static final String SKIPPED = "PostgreSQL not reachable at 127.0.0.1:5432 — skipping PostgreSQL tests";

    /** Decides before any Spring context is built, so a missing PostgreSQL shows as skipped, with why. */
    static boolean postgresReachable() {
        try (Connection connection = DriverManager.getConnection(URL + "?connectTimeout=3", USER, "")) {
            return connection.isValid(3);
        } catch (SQLException e) {
            return false;
        }
    }

    @BeforeAll
    static void freshSchema() {
        boolean created;
        try (Connection connection = DriverManager.getConnection(URL + "?connectTimeout=3", USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("create schema " + SCHEMA);
            created = true;
        } catch (SQLException e) {
            created = false;
        }
        assumeTrue(created, SKIPPED);
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL + "?currentSchema=" + SCHEMA);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> "");
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL + "?connectTimeout=3", USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + SCHEMA + " cascade");
        } catch (SQLException e) {
            // not reachable: the class was skipped and no schema was created
        }
    }
}
