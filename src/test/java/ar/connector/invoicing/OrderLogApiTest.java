package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** GET /api/links/{id}/orders: a stable, documented page shape, and bad paging as a 400 problem. */
class OrderLogApiTest extends SandboxedConnectorTest {

    @Test
    void theOrderListAnswersContentAndPageWithoutSpringInternals() {
        Linked link = newLink("RI", Map.of("autoInvoice", false), "REM-01");
        for (int i = 0; i < 3; i++) {
            long orderId = link.store().newOrder().customer("pag" + i + "@example.com", "Pagina " + i)
                    .line("REM-01", 1, 1210.00).status("paid").create();
            assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
            awaitStatus(link, orderId, "PENDING");
        }

        var answer = admin("GET", "/api/links/" + link.linkId() + "/orders?page=1&size=2", null);
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = json(answer.body());
        assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("content", "page");
        assertThat(body.get("page").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("size", "number", "totalElements", "totalPages");
        assertThat(body.at("/page/size").asInt()).isEqualTo(2);
        assertThat(body.at("/page/number").asInt()).isEqualTo(1);
        assertThat(body.at("/page/totalElements").asInt()).isEqualTo(3);
        assertThat(body.at("/page/totalPages").asInt()).isEqualTo(2);
        assertThat(body.get("content")).hasSize(1);
        assertThat(answer.body()).doesNotContain("pageable").doesNotContain("\"sort\"");

        // The shape is documented where the API is described.
        String apiDocs = admin("GET", "/v3/api-docs", null).body();
        assertThat(apiDocs).contains("PagedModelOrderView").contains("totalElements");
    }

    @Test
    void pagingOutOfRangeIsABadRequestNamingTheField() {
        Linked link = newLink("RI", Map.of(), "REM-01");
        for (var bad : List.of(Map.entry("page=2147483647&size=200", "page"), Map.entry("page=85899346&size=25", "page"),
                Map.entry("page=-1", "page"), Map.entry("size=0", "size"), Map.entry("size=201", "size"))) {
            var answer = admin("GET", "/api/links/" + link.linkId() + "/orders?" + bad.getKey(), null);
            assertThat(answer.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(json(answer.body()).at("/errors/0/field").asText()).as(bad.getKey()).isEqualTo(bad.getValue());
            assertThat(answer.body()).doesNotContain("Exception").doesNotContain("at org.");
        }
    }
}
