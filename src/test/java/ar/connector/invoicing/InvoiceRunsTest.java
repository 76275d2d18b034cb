package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Bulk runs through the admin API, read back with GET /api/invoice-runs/{id}. */
class InvoiceRunsTest extends SandboxedConnectorTest {

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
