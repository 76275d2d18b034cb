package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.sandbox.contabilium.Endpoint;

/** Bulk runs through the admin API, read back with GET /api/invoice-runs/{id}. */
class InvoiceRunsTest extends SandboxedConnectorTest {

    @AfterEach
    void releaseEmitir() {
        CONTABILIUM.holdEmitir(null);
    }

    @Test
    void ordersWaitingForTheAccountWhenTheRunIsCanceledCreateNothing() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        List<Long> orderIds = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            orderIds.add(link.store().newOrder().additionalField("DNI", String.valueOf(26_000_000 + i))
                    .line("REM-01", 1, 1210.00).status("paid").create());
        }
        CountDownLatch release = new CountDownLatch(1);
        CONTABILIUM.holdEmitir(release);
        String runId = json(admin("POST", "/api/links/" + link.linkId() + "/invoice-runs",
                Map.of("orderIds", orderIds)).body()).get("runId").asText();

        // One order holds the account (its emitirFE under way); the others have been read and wait for it.
        await().atMost(Duration.ofSeconds(30)).until(() -> CONTABILIUM.emitirHeld() == 1);
        assertThat(admin("DELETE", "/api/invoice-runs/" + runId, null).statusCode()).isEqualTo(200);
        long crearAtCancel = CONTABILIUM.count(link.account().email(), Endpoint.CREAR);
        release.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> link.account().issuedInvoices().size() == 1);
        // Every other order of the run is consumed, each finding the run canceled once it holds the account:
        // the account's calls stop.
        long[] calls = {-1};
        await().pollInterval(Duration.ofMillis(200)).during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30))
                .until(() -> calls[0] == (calls[0] = CONTABILIUM.count(link.account().email())));
        assertThat(crearAtCancel).isEqualTo(1);
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CREAR)).isEqualTo(crearAtCancel);
        assertThat(link.account().drafts()).isEmpty();
        assertThat(json(admin("GET", "/api/invoice-runs/" + runId, null).body()).get("state").asText())
                .isEqualTo("CANCELED");
    }

    @Test
    void dateRangeRunInvoicesOrdersOlderThanTheLinkAndReportsItsCountsWhenDone() {
        Linked link = newLink("RI", Map.of(), "REM-01");
        for (int i = 0; i < 3; i++) {
            link.store().newOrder().customer("runner" + i + "@example.com", "Comprador " + i)
                    .additionalField("DNI", String.valueOf(30_000_000 + i))
                    .line("REM-01", 1, 1210.00).status("paid").create();
        }
        LocalDate today = LocalDate.now(ZoneId.of("America/Argentina/Buenos_Aires"));

        var started = admin("POST", "/api/links/" + link.linkId() + "/invoice-runs",
                Map.of("from", today.minusDays(1).toString(), "to", today.toString()));
        assertThat(started.statusCode()).isEqualTo(202);
        String runId = json(started.body()).get("runId").asText();

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var view = admin("GET", "/api/invoice-runs/" + runId, null);
            return view.statusCode() == 200 && "DONE".equals(json(view.body()).get("state").asText());
        });
        JsonNode run = json(admin("GET", "/api/invoice-runs/" + runId, null).body());
        assertThat(run.get("total").asInt()).isEqualTo(3);
        assertThat(run.get("invoiced").asLong()).isEqualTo(3);
        assertThat(run.get("from").asText()).isEqualTo(today.minusDays(1).toString());
        assertThat(run.get("createdAt").isTextual()).isTrue();
        assertThat(run.get("finishedAt").isTextual()).isTrue();
        assertThat(run.get("contabiliumCallsPerInvoice").asDouble()).isGreaterThanOrEqualTo(2.0);
        assertThat(link.account().issuedInvoices()).hasSize(3);
    }
}
