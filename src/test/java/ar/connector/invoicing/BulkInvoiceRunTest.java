package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.sandbox.contabilium.SandboxDocument;

/**
 * Bulk runs (SPEC §3.2) against a sandbox that enforces the limits the connector paces at, low enough
 * to bind during the run (about 750 calls at 15 per second): any 429 would be the connector's fault.
 */
@Tag("heavy")
class BulkInvoiceRunTest extends RateLimitedConnectorTest {

    private static final java.time.ZoneId BUENOS_AIRES = java.time.ZoneId.of("America/Argentina/Buenos_Aires");

    @Test
    void threeHundredOrdersOverADateRangeAreEachInvoicedOnceWithoutA429() {
        List<String> skus = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            skus.add(String.format("SKU-%02d", i));
        }
        Linked link = newLink("RI", Map.of("includeShippingCost", true), skus.toArray(String[]::new));
        LocalDate today = LocalDate.now(BUENOS_AIRES);
        LocalDate from = today.minusDays(9);
        LocalDate to = today.minusDays(1);
        List<Long> inRange = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int buyer = i % 60;
            LocalDate day = from.plusDays(i % 9);
            inRange.add(link.store().newOrder()
                    .customer("cliente" + buyer + "@example.com", "Cliente " + buyer)
                    .additionalField("DNI", String.valueOf(20_000_000 + buyer))
                    .line(skus.get(i % 20), 1 + i % 3, 1210.00)
                    .line(skus.get((i * 7 + 3) % 20), 1, 999.99)
                    .shipping(i % 4 == 0 ? 800.00 : 0)
                    .createdAt(at(day, 10 + i % 12))
                    .status("paid").create());
        }
        // Outside the run: paid but before the range, and unpaid inside it.
        long before = link.store().newOrder().additionalField("DNI", "20000001").line("SKU-01", 1, 1210.00)
                .createdAt(at(from.minusDays(1), 23)).status("paid").create();
        long unpaid = link.store().newOrder().additionalField("DNI", "20000002").line("SKU-02", 1, 1210.00)
                .createdAt(at(from.plusDays(2), 12)).create();
        int hitsBefore = CONTABILIUM.rateLimitHits();

        long started = System.nanoTime();
        HttpResponse<String> accepted = admin("POST", "/api/links/" + link.linkId() + "/invoice-runs",
                Map.of("from", from.toString(), "to", to.toString()));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String runId = json(accepted.body()).get("runId").asText();

        JsonNode run = awaitRun(runId, "DONE", Duration.ofSeconds(120));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("Bulk run of %d orders: %.1f s, %d Contabilium calls, %.2f calls per invoiced order, "
                + "max %d calls in any 1 s window (limit %d)%n", run.get("total").asInt(), seconds,
                run.get("contabiliumCalls").asLong(), run.get("contabiliumCallsPerInvoice").asDouble(),
                CONTABILIUM.maxRequestsInAnyWindow(link.account().email()), REQUESTS);

        assertThat(run.get("total").asInt()).isEqualTo(300);
        assertThat(run.get("invoiced").asInt()).isEqualTo(300);
        assertThat(run.get("parked").asInt()).isZero();
        assertThat(run.get("failed").asInt()).isZero();
        assertThat(run.get("skipped").asInt()).isZero();
        assertThat(run.get("contabiliumCallsPerInvoice").asDouble()).isBetween(2.0, 3.0);
        assertThat(CONTABILIUM.rateLimitHits() - hitsBefore).as("429s").isZero();
        assertThat(CONTABILIUM.maxRequestsInAnyWindow(link.account().email())).isLessThanOrEqualTo(REQUESTS);

        Map<String, Long> perReference = link.account().issuedInvoices().stream()
                .collect(Collectors.groupingBy(SandboxDocument::refExterna, Collectors.counting()));
        assertThat(perReference).hasSize(300).allSatisfy((reference, count) -> assertThat(count).isEqualTo(1));
        assertThat(inRange).allSatisfy(orderId -> assertThat(perReference)
                .containsKey("jumpseller:" + link.store().code() + ":" + orderId));
        assertThat(orderRow(link, before)).isNull();
        assertThat(orderRow(link, unpaid)).isNull();
        assertThat(link.account().customers()).hasSize(60);
        assertThat(link.account().drafts()).isEmpty();
    }

    @Test
    void aRunOverAListOfOrdersInvoicesThePaidOnesAndSkipsTheRest() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        List<Long> paid = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            paid.add(link.store().newOrder().additionalField("DNI", String.valueOf(24_000_000 + i))
                    .line("REM-01", 1, 1210.00).status("paid").create());
        }
        long unpaid = link.store().newOrder().additionalField("DNI", "24000009").line("REM-01", 1, 1210.00).create();
        long missing = unpaid + 1000;
        List<Long> ids = new ArrayList<>(paid);
        ids.add(unpaid);
        ids.add(missing);

        HttpResponse<String> accepted = admin("POST", "/api/links/" + link.linkId() + "/invoice-runs",
                Map.of("orderIds", ids));
        assertThat(accepted.statusCode()).isEqualTo(202);
        JsonNode run = awaitRun(json(accepted.body()).get("runId").asText(), "DONE", Duration.ofSeconds(30));

        assertThat(run.get("total").asInt()).isEqualTo(7);
        assertThat(run.get("invoiced").asInt()).isEqualTo(5);
        assertThat(run.get("skipped").asInt()).isEqualTo(2);
        assertThat(paid).allSatisfy(orderId -> assertThat(invoicesOf(link, orderId)).hasSize(1));
        assertThat(status(link, unpaid)).isEqualTo("SKIPPED");
        assertThat(status(link, missing)).isEqualTo("SKIPPED");
    }

    @Test
    void aCanceledRunStopsInvoicing() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        LocalDate day = LocalDate.now(BUENOS_AIRES).minusDays(1);
        for (int i = 0; i < 150; i++) {
            link.store().newOrder().additionalField("DNI", String.valueOf(25_000_000 + i % 30))
                    .line("REM-01", 1, 1210.00).createdAt(at(day, 9 + i % 10)).status("paid").create();
        }
        HttpResponse<String> accepted = admin("POST", "/api/links/" + link.linkId() + "/invoice-runs",
                Map.of("from", day.toString(), "to", day.toString()));
        String runId = json(accepted.body()).get("runId").asText();

        HttpResponse<String> canceled = admin("DELETE", "/api/invoice-runs/" + runId, null);
        assertThat(canceled.statusCode()).isEqualTo(200);
        assertThat(json(canceled.body()).get("state").asText()).isEqualTo("CANCELED");

        // Orders already inside the account lock finish; nothing else starts: the count stops moving.
        AtomicInteger seen = new AtomicInteger(-1);
        await().pollInterval(Duration.ofMillis(200)).during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15))
                .until(() -> {
                    int now = link.account().issuedInvoices().size();
                    return seen.getAndSet(now) == now;
                });
        int issued = link.account().issuedInvoices().size();
        System.out.printf("Canceled run: %d of 150 orders invoiced before the cancel took hold%n", issued);
        assertThat(issued).isLessThan(150);
        JsonNode run = json(admin("GET", "/api/invoice-runs/" + runId, null).body());
        assertThat(run.get("state").asText()).isEqualTo("CANCELED");
        assertThat(run.get("invoiced").asInt()).isEqualTo(issued);
        assertThat(link.account().drafts()).isEmpty();
    }

    private JsonNode awaitRun(String runId, String state, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await("run " + runId + " " + state).atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = json(admin("GET", "/api/invoice-runs/" + runId, null).body());
            return state.equals(last[0].path("state").asText());
        });
        return last[0];
    }

    private static java.time.OffsetDateTime at(LocalDate day, int hour) {
        return ZonedDateTime.of(day, LocalTime.of(hour, 0), BUENOS_AIRES).toOffsetDateTime();
    }
}
