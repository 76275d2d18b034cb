package ar.connector.reconciliation;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ar.connector.support.PostgresSchema;

/** The reconciliation on the real PostgreSQL, in a schema of its own; skipped, saying so, without one. */
@EnabledIf(value = "ar.connector.support.PostgresSchema#reachable", disabledReason = PostgresSchema.SKIPPED)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PostgresReconciliationTest extends AbstractReconciliationTest {

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
