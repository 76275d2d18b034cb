package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A bulk run as the admin API shows it, on the embedded H2 database (whose driver answers
 * OffsetDateTime for timestamp columns where PostgreSQL's answers java.sql.Timestamp).
 */
class InvoiceRunViewTest extends SandboxedConnectorTest {

    @Test
    void aDateRangeRunReportsItsProgressUntilDoneWithCountsAndCallsPerInvoice() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        for (int i = 0; i < 2; i++) {
            link.store().newOrder()
                    .customer("run" + i + "@example.com", "Comprador " + i)
                    .additionalField("DNI", String.valueOf(30_111_000 + i))
                    .line("REM-01", 1, 1210.00)
                    .status("paid").create();
        }
        LocalDate today = LocalDate.now(OrderInvoicer.BUENOS_AIRES);
        HttpResponse<String> started = admin("POST", "/api/links/" + link.linkId() + "/invoice-runs",
                Map.of("from", today.minusDays(1).toString(), "to", today.plusDays(1).toString()));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String runId = json(started.body()).get("runId").asText();

        JsonNode[] view = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            HttpResponse<String> run = admin("GET", "/api/invoice-runs/" + runId, null);
            assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
            view[0] = json(run.body());
            return "DONE".equals(view[0].get("state").asText());
        });
        assertThat(view[0].get("invoiced").asLong()).isEqualTo(2);
        assertThat(view[0].get("total").asInt()).isEqualTo(2);
        assertThat(view[0].get("createdAt").asText()).isNotBlank();
        assertThat(view[0].get("finishedAt").asText()).isNotBlank();
        assertThat(view[0].get("from").asText()).isEqualTo(today.minusDays(1).toString());
        assertThat(view[0].get("contabiliumCallsPerInvoice").asDouble()).isGreaterThanOrEqualTo(2.0);
        assertThat(link.account().issuedInvoices()).hasSize(2);
    }
}
