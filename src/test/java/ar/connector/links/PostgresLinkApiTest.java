package ar.connector.links;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ar.connector.support.ConnectorTest;
import ar.connector.support.PostgresSchema;

/**
 * The same link API and persistence tests on the real PostgreSQL ({@link PostgresSchema}), in a
 * schema of its own created for this run and dropped afterwards. Skipped, saying so, where no
 * PostgreSQL is reachable.
 */
@ConnectorTest
@EnabledIf(value = "ar.connector.support.PostgresSchema#reachable", disabledReason = PostgresSchema.SKIPPED)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PostgresLinkApiTest extends AbstractLinkApiTest {

    static final String SCHEMA = PostgresSchema.newName();

    @BeforeAll
    static void freshSchema() {
        assumeTrue(PostgresSchema.create(SCHEMA), PostgresSchema.SKIPPED);
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresSchema.register(registry, SCHEMA);
    }

    @AfterAll
    static void dropSchema() {
        PostgresSchema.drop(SCHEMA);
    }
}
