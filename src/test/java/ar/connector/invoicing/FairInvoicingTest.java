package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.sandbox.contabilium.SandboxDocument;

/**
 * Fairness between merchants (many accounts on one platform): while one account's long bulk run is
 * queued and invoicing at its Contabilium rate limit, an order of another account, which has nothing
 * queued, is invoiced within seconds of its webhook, and a burst of that account's orders does not
 * wait for the run either. Before accounts took turns, the order waited behind every order of the
 * run (the consumers all sat on the busy account's lock): about 45 s here, 30 minutes for 2,000.
 * Limits scaled as in {@link RateLimitedConnectorTest}.
 */
@Tag("heavy")
class FairInvoicingTest extends RateLimitedConnectorTest {

    private static final ZoneId BUENOS_AIRES = ZoneId.of("America/Argentina/Buenos_Aires");
    private static final int RUN_ORDERS = 300;
    /** "Within a few seconds": the platform target is p99 ≤ 10 s from webhook to CAE. */
    private static final Duration FEW_SECONDS = Duration.ofSeconds(10);

    @Test
    void anIdleMerchantsOrdersAreInvoicedWithinSecondsWhileAnotherAccountsLongRunIsQueued() {
        Linked busy = newLink("RI", Map.of(), "SKU-01", "SKU-02", "SKU-03", "SKU-04");
        LocalDate today = LocalDate.now(BUENOS_AIRES);
        for (int i = 0; i < RUN_ORDERS; i++) {
            busy.store().newOrder()
                    .customer("cliente" + (i % 50) + "@example.com", "Cliente " + (i % 50))
                    .additionalField("DNI", String.valueOf(21_000_000 + i % 50))
                    .line("SKU-0" + (1 + i % 4), 1 + i % 2, 1210.00)
                    .createdAt(ZonedDateTime.of(today.minusDays(1 + i % 3), LocalTime.of(10, 0), BUENOS_AIRES)
                            .toOffsetDateTime())
                    .status("paid").create();
        }
        Linked idle = newLink("RI", Map.of(), "REM-01");
        int hitsBefore = CONTABILIUM.rateLimitHits();

        HttpResponse<String> accepted = admin("POST", "/api/links/" + busy.linkId() + "/invoice-runs",
                Map.of("from", today.minusDays(3).toString(), "to", today.minusDays(1).toString()));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String runId = json(accepted.body()).get("runId").asText();
        // The run is enumerated and invoicing at the busy account's limit.
        await("run under way").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> run(runId).path("invoiced").asInt() >= 10);

        // One order of the idle merchant.
        long single = idle.store().newOrder().additionalField("DNI", "30111222").line("REM-01", 1, 1210.00)
                .status("paid").create();
        long started = System.nanoTime();
        assertThat(signedWebhook(idle.store(), "order_paid", single).statusCode()).isEqualTo(200);
        awaitInvoiced(idle, List.of(single), FEW_SECONDS);
        Duration singleTook = Duration.ofNanos(System.nanoTime() - started);
        JsonNode runMeanwhile = run(runId);

        // A burst of five of its orders.
        List<Long> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            burst.add(idle.store().newOrder().additionalField("DNI", String.valueOf(30_111_300 + i))
                    .line("REM-01", 1 + i, 1210.00).status("paid").create());
        }
        started = System.nanoTime();
        for (long orderId : burst) {
            assertThat(signedWebhook(idle.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        }
        awaitInvoiced(idle, burst, FEW_SECONDS.multipliedBy(2));
        Duration burstTook = Duration.ofNanos(System.nanoTime() - started);
        JsonNode runAfterBurst = run(runId);
        System.out.printf("Idle merchant: one order invoiced in %d ms, a burst of 5 in %d ms, while the other "
                + "account's run of %d stood at %d and then %d invoiced%n", singleTook.toMillis(), burstTook.toMillis(),
                RUN_ORDERS, runMeanwhile.path("invoiced").asInt(), runAfterBurst.path("invoiced").asInt());

        assertThat(runAfterBurst.path("state").asText()).as("the long run was still going").isEqualTo("RUNNING");
        assertThat(runAfterBurst.path("invoiced").asInt()).isLessThan(RUN_ORDERS);

        // The long run is not harmed: every order once, no 429, never above the limit.
        await("run done").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500))
                .until(() -> "DONE".equals(run(runId).path("state").asText()));
        JsonNode done = run(runId);
        assertThat(done.path("invoiced").asInt()).isEqualTo(RUN_ORDERS);
        assertThat(done.path("failed").asInt()).isZero();
        Map<String, Long> perReference = busy.account().issuedInvoices().stream()
                .collect(Collectors.groupingBy(SandboxDocument::refExterna, Collectors.counting()));
        assertThat(perReference).hasSize(RUN_ORDERS).allSatisfy((reference, count) -> assertThat(count).isEqualTo(1));
        assertThat(idle.account().issuedInvoices()).hasSize(6);
        assertThat(CONTABILIUM.rateLimitHits() - hitsBefore).as("429s").isZero();
        assertThat(CONTABILIUM.maxRequestsInAnyWindow(busy.account().email()))
                .isLessThanOrEqualTo(REQUESTS);
    }

    private void awaitInvoiced(Linked link, List<Long> orderIds, Duration atMost) {
        await("orders " + orderIds + " invoiced").atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> orderIds.stream().allMatch(id -> "INVOICED".equals(status(link, id))));
        assertThat(orderIds).allSatisfy(id -> assertThat(invoicesOf(link, id)).hasSize(1));
    }

    private JsonNode run(String runId) {
        return json(admin("GET", "/api/invoice-runs/" + runId, null).body());
    }
}
