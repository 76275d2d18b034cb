package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A turn whose Contabilium account has no budget left (here: blocked after Contabilium's 429s) does
 * not sit on a consumer thread waiting for it: it is put off until the budget has room, as a
 * scheduled message, without taking the account's lease, and the order is invoiced once there is
 * room. Limits scaled as in {@link RateLimitedConnectorTest}.
 */
class BudgetAwareTurnsTest extends RateLimitedConnectorTest {

    @Autowired
    MeterRegistry meters;

    @Autowired
    InvoicingTurns turns;

    @Autowired
    ContabiliumClient contabilium;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aTurnOfAnAccountOutOfBudgetIsPutOffInsteadOfWaiting() throws Exception {
        BacklogFixture.Admitted admitted = BacklogFixture.admitted(this, jdbc, "30666111", "turn-b", Duration.ZERO);
        Linked link = admitted.link();
        long orderId = admitted.orderId();
        String account = admitted.account();
        double deferredBefore = deferred();

        // Contabilium allows this account far less than the connector paces at: another caller's look-ups
        // get 429s, and each blocks the account's budget for 2 s.
        CONTABILIUM.setLimits(1, Duration.ofSeconds(5), INVENTORY_REQUESTS, Duration.ofSeconds(3));
        ContabiliumAccount credentials = new ContabiliumAccount(link.account().email(), link.account().apiKey());
        CompletableFuture<?> caller = CompletableFuture.runAsync(() -> {
            try {
                contabilium.provincias(credentials); // 429, a 2 s block, again... until the limits are restored
            } catch (RuntimeException rateLimited) {
                // still rate limited after all its waits: the test was slow, the assertions say so
            }
        });
        try {
            await("the account's budget blocked").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> contabilium.budgetWait(account).compareTo(Duration.ofMillis(1500)) > 0);

            long started = System.nanoTime();
            assertThat(turns.take(new InvoiceTurn(account, "turn-b", null))).as("no order taken now").isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the turn did not wait for the budget")
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(deferred()).isEqualTo(deferredBefore + 1);
            assertThat(jdbc.queryForObject("select lease_token from contabilium_account where client_id = ?",
                    String.class, account)).as("lease not taken").isNull();
            assertThat(jdbc.queryForObject("select count(*) from contabilium_account where client_id = ? and"
                    + " turn_id = 'turn-b' and turn_due_at > current_timestamp", Integer.class, account))
                    .as("the turn is due when the budget has room").isEqualTo(1);
        } finally {
            scaledLimits();
            caller.join();
        }
        // The scheduled turn comes back and invoices the order.
        awaitStatus(link, orderId, "INVOICED");
        assertThat(invoicesOf(link, orderId)).hasSize(1);
    }

    private double deferred() {
        var counter = meters.find("connector.invoice.turns.deferred").tag("reason", "budget").counter();
        return counter == null ? 0 : counter.count();
    }
}
