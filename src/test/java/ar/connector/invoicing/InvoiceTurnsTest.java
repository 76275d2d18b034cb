package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.connection.CachingConnectionFactory;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import ar.connector.config.ConnectorProperties;
import ar.connector.sandbox.contabilium.Endpoint;

/**
 * The turns of fair invoicing, driven directly where a test must stand in the middle of one: a turn
 * lost between the database and the broker (a crash after an order was admitted into its account's
 * backlog, before the turn message was committed) is found by the sweep, and a stale copy of the old
 * turn is dropped; a new order does not wait behind a retry scheduled for later; a turn that failed
 * after invoicing does not hold the account's other orders; a lapsed lease stops an order without
 * costing it an attempt; an order the backlog gives up on is shown FAILED; a short turn goes on with its
 * account's next order under the same lease, but not after a failure.
 */
class InvoiceTurnsTest extends SandboxedConnectorTest {

    @Autowired
    InvoicingTurns turns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ConnectorProperties properties;

    @Autowired
    jakarta.jms.ConnectionFactory connectionFactory;

    @Test
    void anAccountWithOrdersWaitingButNoTurnGetsOneFromTheSweep() throws Exception {
        BacklogFixture.Admitted admitted = admitted("30555111", null);
        Linked link = admitted.link();
        long orderId = admitted.orderId();
        String account = admitted.account();

        turns.sweep();

        awaitStatus(link, orderId, "INVOICED");
        assertThat(invoicesOf(link, orderId)).hasSize(1);
        // (the order leaves the backlog a moment after its status commits, once its turn is done)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> backlogOf(account) == 0);
    }

    @Test
    void aTurnLongOverdueWithTheLeaseFreeIsReplacedAndItsStaleCopyDropped() throws Exception {
        BacklogFixture.Admitted admitted = admitted("30555112", "lost-turn");
        Linked link = admitted.link();
        long orderId = admitted.orderId();
        String account = admitted.account();

        turns.sweep();

        awaitStatus(link, orderId, "INVOICED");
        String live = jdbc.queryForObject("select turn_id from contabilium_account where client_id = ?", String.class,
                account);
        assertThat(live).isNotEqualTo("lost-turn");
        // The old turn's message turning up late does nothing.
        assertThat(turns.take(new InvoiceTurn(account, "lost-turn", null))).isNull();
        assertThat(invoicesOf(link, orderId)).hasSize(1);
    }

    @Test
    void aNewOrderDoesNotWaitBehindATurnScheduledForLater() throws Exception {
        // The account's turn waits five minutes for a retry (its message scheduled then).
        BacklogFixture.Admitted admitted = admitted("30555113", "retry-later");
        Linked link = admitted.link();
        String account = admitted.account();
        jdbc.update("update invoice_backlog set available_at = ?, attempt = 3 where client_id = ?",
                Timestamp.from(Instant.now().plus(Duration.ofMinutes(5))), account);
        jdbc.update("update contabilium_account set turn_due_at = ? where client_id = ?",
                Timestamp.from(Instant.now().plus(Duration.ofMinutes(5))), account);

        long fresh = link.store().newOrder().additionalField("DNI", "30555114").line("REM-01", 2, 1210.00)
                .status("paid").create();
        assertThat(signedWebhook(link.store(), "order_paid", fresh).statusCode()).isEqualTo(200);

        awaitStatus(link, fresh, "INVOICED");
        assertThat(invoicesOf(link, fresh)).hasSize(1);
        assertThat(jdbc.queryForObject("select turn_id from contabilium_account where client_id = ?", String.class,
                account)).isNotEqualTo("retry-later");
        // The old turn's message, delivered at its time, does nothing.
        assertThat(turns.take(new InvoiceTurn(account, "retry-later", null))).isNull();
    }

    @Test
    void aTurnThatFailedAfterInvoicingRetriesItsOrderLaterInsteadOfHoldingTheAccount() throws Exception {
        BacklogFixture.Admitted admitted = admitted("30555115", "turn-1");
        Linked link = admitted.link();
        long orderId = admitted.orderId();
        String account = admitted.account();

        InvoicingTurns.Work work = turns.take(new InvoiceTurn(account, "turn-1", null));
        assertThat(work).isNotNull();
        assertThat(turns.invoice(work).invoiceIssued()).isTrue();
        // The route failed after invoicing (say, queueing the receipt): done() never ran, the message rolls back.
        turns.end(work);

        Map<String, Object> entry = jdbc.queryForMap("select attempt, available_at from invoice_backlog"
                + " where client_id = ?", account);
        assertThat(entry.get("attempt")).isEqualTo(1);
        assertThat(leaseOf(account)).as("lease given back").isNull();
        // The queued turn takes the order again after its retry pause; it is invoiced already, so it just leaves.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> backlogOf(account) == 0);
        assertThat(invoicesOf(link, orderId)).hasSize(1);
        assertThat(status(link, orderId)).isEqualTo("INVOICED");
    }

    @Test
    void aLapsedLeaseStopsTheOrderWithoutCostingItAnAttempt() throws Exception {
        BacklogFixture.Admitted admitted = admitted("30555116", "turn-2");
        Linked link = admitted.link();
        long orderId = admitted.orderId();
        String account = admitted.account();

        InvoicingTurns.Work work = turns.take(new InvoiceTurn(account, "turn-2", null));
        assertThat(work).isNotNull();
        // Another replica took the account over (this holder stalled past its lease).
        jdbc.update("update contabilium_account set lease_token = 'someone-else' where client_id = ?", account);

        assertThat(turns.invoice(work).invoiceIssued()).isFalse();
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CREAR)).as("nothing created").isZero();
        assertThat(jdbc.queryForObject("select attempt from invoice_backlog where client_id = ?", Integer.class,
                account)).isZero();
        assertThat(status(link, orderId)).isEqualTo("PENDING");

        jdbc.update("update contabilium_account set lease_token = null, lease_expires_at = null where client_id = ?",
                account);
        turns.end(work);
        awaitStatus(link, orderId, "INVOICED");
        assertThat(invoicesOf(link, orderId)).hasSize(1);
    }

    @Test
    void anOrderTheBacklogGivesUpOnIsShownFailed() throws Exception {
        BacklogFixture.Admitted admitted = admitted("30555117", "turn-3");
        Linked link = admitted.link();
        long orderId = admitted.orderId();
        String account = admitted.account();
        // Its last attempt but one failed outside the invoicer (the steps after invoicing, say).
        jdbc.update("update invoice_backlog set attempt = ? where client_id = ?",
                properties.invoicing().maxAttempts() + 4, account);
        InvoicingTurns.Work work = turns.take(new InvoiceTurn(account, "turn-3", null));
        assertThat(work).isNotNull();
        turns.end(work);

        assertThat(backlogOf(account)).isZero();
        JsonNode row = orderRow(link, orderId);
        assertThat(row).isNotNull();
        assertThat(row.get("status").asText()).isEqualTo("FAILED");
        assertThat(link.account().issuedInvoices()).isEmpty();
    }

    @Test
    void aShortTurnGoesOnWithTheAccountsNextOrderKeepingTheLease() throws Exception {
        BacklogFixture.Admitted admitted = admitted("30555118", "turn-4");
        Linked link = admitted.link();
        String account = admitted.account();
        long second = secondOrderAdmitted(admitted, "30555119", "turn-4");
        InvoicingTurns.Work work = turns.take(new InvoiceTurn(account, "turn-4", null));
        assertThat(work).isNotNull();
        String lease = leaseOf(account);
        assertThat(turns.invoice(work).invoiceIssued()).isTrue();
        turns.done(work);
        turns.advance(work);
        assertThat(work.hasOrder()).as("the turn goes on with the account's next order").isTrue();
        assertThat(work.orders()).isEqualTo(2);
        assertThat(leaseOf(account)).as("under the same lease").isEqualTo(lease);
        assertThat(turns.invoice(work).invoiceIssued()).isTrue();
        turns.done(work);
        turns.advance(work);
        assertThat(work.hasOrder()).as("nothing more to go on with").isFalse();
        turns.end(work);

        assertThat(status(link, admitted.orderId())).isEqualTo("INVOICED");
        assertThat(status(link, second)).isEqualTo("INVOICED");
        assertThat(backlogOf(account)).isZero();
        assertThat(leaseOf(account)).as("lease given back").isNull();
        assertThat(link.account().issuedInvoices()).hasSize(2);
    }

    @Test
    void aTurnWhoseOrderFailedDoesNotGoOn() throws Exception {
        BacklogFixture.Admitted admitted = admitted("30555120", "turn-5");
        Linked link = admitted.link();
        String account = admitted.account();
        long second = secondOrderAdmitted(admitted, "30555121", "turn-5");
        InvoicingTurns.Work work = turns.take(new InvoiceTurn(account, "turn-5", null));
        assertThat(work).isNotNull();
        String lease = leaseOf(account);
        assertThat(turns.invoice(work).invoiceIssued()).isTrue();
        // The steps after invoicing failed: done() never ran; the route's doFinally ends the turn.
        turns.advance(work);
        assertThat(work.hasOrder()).isFalse();
        assertThat(work.orders()).isEqualTo(1);
        turns.end(work);
        assertThat(leaseOf(account)).as("this turn's lease given back").isNotEqualTo(lease);
        // The account's next turn (queued by end) invoices the second order.
        awaitStatus(link, second, "INVOICED");
    }

    @Test
    void consumersBufferNoMessagesSoAnyFreeConsumerTakesTheNextTurn() {
        Object target = connectionFactory instanceof CachingConnectionFactory caching
                ? caching.getTargetConnectionFactory() : connectionFactory;
        assertThat(target).isInstanceOf(ActiveMQConnectionFactory.class);
        assertThat(((ActiveMQConnectionFactory) target).getConsumerWindowSize()).isZero();
    }

    /** A second paid order of the same link in its account's backlog, under the same turn; answers its id. */
    private long secondOrderAdmitted(BacklogFixture.Admitted admitted, String dni, String turnId) throws Exception {
        Linked link = admitted.link();
        long second = link.store().newOrder().additionalField("DNI", dni).line("REM-01", 1, 1210.00).status("paid")
                .create();
        BacklogFixture.admittedWithoutTurn(jdbc, mapper, link.linkId(), second, admitted.account(), turnId,
                Duration.ZERO);
        return second;
    }

    private String leaseOf(String account) {
        return jdbc.queryForObject("select lease_token from contabilium_account where client_id = ?", String.class,
                account);
    }

    private BacklogFixture.Admitted admitted(String dni, String turnId) throws Exception {
        // a lost turn is long overdue; one the test plays itself is due now (the sweep leaves it alone)
        Duration dueAgo = turnId != null && turnId.startsWith("lost") ? Duration.ofMinutes(10) : Duration.ZERO;
        return BacklogFixture.admitted(this, jdbc, dni, turnId, dueAgo);
    }

    private int backlogOf(String account) {
        return BacklogFixture.size(jdbc, account);
    }
}
