package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A turn waiting on Contabilium holds no database connection: the turns of many accounts wait on
 * their emitirFE at once with a connection pool smaller than their number, and the database still
 * answers meanwhile. (Inside a JMS transaction run by a transaction manager, every JdbcTemplate call
 * would bind its connection to the thread until the message commits: a pool of 4 would let at most 4
 * accounts invoice at a time, starve the lease renewer and time out everything else.)
 */
@TestPropertySource(properties = {
        "spring.datasource.hikari.maximum-pool-size=" + TurnConnectionsTest.POOL,
        "spring.datasource.hikari.connection-timeout=3000",
        // emitirFE is held longer than the test profile's 2 s read timeout would allow
        "connector.contabilium.read-timeout=30s" })
class TurnConnectionsTest extends SandboxedConnectorTest {

    static final int POOL = 4;
    private static final int ACCOUNTS = 3 * POOL;

    @AfterEach
    void releaseEmitir() {
        CONTABILIUM.holdEmitir(null);
    }

    @Test
    void turnsWaitingOnContabiliumHoldNoDatabaseConnection() {
        List<Linked> links = new ArrayList<>();
        List<Long> orders = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            Linked link = newLink("RI", Map.of(), "REM-01");
            links.add(link);
            orders.add(link.store().newOrder().additionalField("DNI", String.valueOf(27_000_000 + i))
                    .line("REM-01", 1, 1210.00).status("paid").create());
        }
        CountDownLatch release = new CountDownLatch(1);
        CONTABILIUM.holdEmitir(release);
        for (int i = 0; i < ACCOUNTS; i++) {
            assertThat(signedWebhook(links.get(i).store(), "order_paid", orders.get(i)).statusCode()).isEqualTo(200);
        }

        // Every account's turn reaches its emitirFE, three times as many as the pool has connections.
        await("every account in emitirFE").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> CONTABILIUM.emitirHeld() == ACCOUNTS);
        // The database answers the admin API while they all wait.
        assertThat(admin("GET", "/api/links/" + links.get(0).linkId() + "/orders/" + orders.get(0), null)
                .statusCode()).isEqualTo(200);
        release.countDown();

        for (int i = 0; i < ACCOUNTS; i++) {
            Linked link = links.get(i);
            long orderId = orders.get(i);
            awaitStatus(link, orderId, "INVOICED");
            assertThat(invoicesOf(link, orderId)).hasSize(1);
        }
    }
}
