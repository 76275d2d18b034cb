package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A turn lost between the database and the broker (a crash after an order was admitted into its
 * account's backlog, before the turn message was committed) is found by the sweep, and the order is
 * invoiced; a stale copy of the old turn is dropped.
 */
class InvoiceTurnSweepTest extends SandboxedConnectorTest {

    @Autowired
    InvoicingTurns turns;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anAccountWithOrdersWaitingButNoTurnGetsOneFromTheSweep() throws Exception {
        Linked link = newLink("RI", Map.of(), "REM-01");
        long orderId = link.store().newOrder().additionalField("DNI", "30555111").line("REM-01", 1, 1210.00)
                .status("paid").create();
        String account = link.account().email().toLowerCase();
        admittedWithoutTurn(link, orderId, account, null);

        turns.sweep();

        awaitStatus(link, orderId, "INVOICED");
        assertThat(invoicesOf(link, orderId)).hasSize(1);
        assertThat(backlogOf(account)).isZero();
    }

    @Test
    void aTurnLongOverdueWithTheLeaseFreeIsReplacedAndItsStaleCopyDropped() throws Exception {
        Linked link = newLink("RI", Map.of(), "REM-01");
        long orderId = link.store().newOrder().additionalField("DNI", "30555112").line("REM-01", 1, 1210.00)
                .status("paid").create();
        String account = link.account().email().toLowerCase();
        admittedWithoutTurn(link, orderId, account, "lost-turn");

        turns.sweep();

        awaitStatus(link, orderId, "INVOICED");
        String live = jdbc.queryForObject("select turn_id from contabilium_account where client_id = ?", String.class,
                account);
        assertThat(live).isNotEqualTo("lost-turn");
        // The old turn's message turning up late does nothing.
        assertThat(turns.take(new InvoiceTurn(account, "lost-turn", null))).isNull();
        assertThat(invoicesOf(link, orderId)).hasSize(1);
    }

    /** The order in its account's backlog as order-invoicing leaves it, but its turn never reached the broker. */
    private void admittedWithoutTurn(Linked link, long orderId, String account, String lostTurnId) throws Exception {
        jdbc.update("insert into contabilium_account (client_id, created_at) select ?, current_timestamp"
                + " where not exists (select 1 from contabilium_account where client_id = ?)", account, account);
        jdbc.update("update contabilium_account set turn_id = ?, turn_due_at = ? where client_id = ?", lostTurnId,
                lostTurnId == null ? null : Timestamp.from(Instant.now().minus(Duration.ofMinutes(10))), account);
        String message = mapper.writeValueAsString(
                new OrderMessage(link.linkId(), orderId, OrderMessage.WEBHOOK, false, null, null));
        jdbc.update("insert into invoice_backlog (client_id, message, attempt, available_at, created_at)"
                + " values (?, ?, 0, ?, ?)", account, message, Timestamp.from(Instant.now()), Timestamp.from(Instant.now()));
    }

    private int backlogOf(String account) {
        return jdbc.queryForObject("select count(*) from invoice_backlog where client_id = ?", Integer.class, account);
    }
}
