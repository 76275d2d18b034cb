package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The backlog's per-order queries read one row however many orders the account has waiting: a turn
 * of a 2,000-order bulk run must not read (and sort) the whole backlog for each order it takes.
 * Checked with H2's own count of the rows each query scanned ({@code EXPLAIN ANALYZE}), inside a
 * transaction that is rolled back, so no turn ever sees these rows.
 */
class InvoiceBacklogPlanTest extends SandboxedConnectorTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void takingAnAccountsNextOrderReadsOneRowOfAFullBacklog() {
        String account = "plan-test@example.com";
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            for (int i = 0; i < 500; i++) {
                jdbc.update("insert into invoice_backlog (client_id, message, attempt, available_at, created_at)"
                        + " values (?, ?, 0, current_timestamp, current_timestamp)", account, "{\"n\":" + i + "}");
            }
            jdbc.update("insert into invoice_backlog (client_id, message, attempt, available_at, created_at)"
                    + " values ('other@example.com', '{}', 0, current_timestamp, current_timestamp)");

            assertThat(scanned(InvoiceBacklog.NEXT, account)).as("next(): rows read").isEqualTo(1);
            assertThat(scanned(InvoiceBacklog.NEXT_AVAILABLE, account)).as("nextAvailable(): rows read").isEqualTo(1);
            status.setRollbackOnly();
        });
    }

    /** H2's scanCount of the query's table, from its EXPLAIN ANALYZE. */
    private int scanned(String sql, String account) {
        String plan = jdbc.queryForObject("explain analyze " + sql, String.class, account);
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("scanCount: (\\d+)").matcher(plan);
        assertThat(count.find()).as("a scan count in the plan: %s", plan).isTrue();
        return Integer.parseInt(count.group(1));
    }
}
