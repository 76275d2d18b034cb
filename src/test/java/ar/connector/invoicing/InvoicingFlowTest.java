package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.SandboxDocument;

/** Orders to invoices through the real flow: webhook -> Artemis -> order-invoicing -> sandboxes. */
class InvoicingFlowTest extends SandboxedConnectorTest {

    @org.springframework.beans.factory.annotation.Autowired
    OrderPoller poller;

    @org.springframework.beans.factory.annotation.Autowired
    OrderQueue queue;

    @org.springframework.beans.factory.annotation.Autowired
    ar.connector.links.LinkRepository links;

    @Test
    void consumidorFinalWithDniGetsFacturaBThatReproducesTheOrderTotal() {
        Linked link = newLink("RI", Map.of("includeShippingCost", true), "REM-01", "TAZ-02");
        long orderId = link.store().newOrder()
                .customer("ana@example.com", "Ana Pérez")
                .additionalField("DNI", "30.123.456")
                .line("REM-01", 2, 1210.00)
                .line("TAZ-02", 3, 999.99, 100.00)
                .discount(250.00)
                .shipping(1500.00)
                .status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> "INVOICED".equals(status(link, orderId)));
        List<SandboxDocument> invoices = link.account().issuedInvoices();
        assertThat(invoices).hasSize(1);
        SandboxDocument invoice = invoices.get(0);
        assertThat(invoice.tipoFc()).isEqualTo("FCB");
        // subtotal 2420 + 2999.97, discount 250 (100 on the line + 150 coupon), shipping 1500
        assertThat(invoice.importeTotalNeto()).isEqualByComparingTo(new BigDecimal("6669.97"));
        assertThat(invoice.refExterna()).isEqualTo("jumpseller:" + link.store().code() + ":" + orderId);
        assertThat(invoice.items()).extracting(SandboxDocument.Line::codigo).contains("ENVIO");
        JsonNode row = orderRow(link, orderId);
        assertThat(row.at("/invoice/cae").asText()).isEqualTo(invoice.cae());
        assertThat(row.at("/invoice/tipo").asText()).isEqualTo("FCB");
        await().atMost(Duration.ofSeconds(10)).until(() -> !link.store().documents(orderId).isEmpty());
        assertThat(link.store().documents(orderId).get(0).get("document_type").asInt()).isEqualTo(1);
    }

    @Test
    void anAttachmentWhoseAnswerWasLostIsFoundOnTheOrderInsteadOfPostedAgain() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long orderId = link.store().newOrder().additionalField("DNI", "28333444").line("REM-01", 1, 1210.00)
                .status("paid").create();
        link.store().loseNextDocumentAnswers(1);

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "INVOICED");
        await().atMost(Duration.ofSeconds(10)).until(() -> link.store().documents(orderId).size() == 1);
        assertThat(orderRow(link, orderId).at("/invoice/attached").asBoolean()).isFalse();

        // Another pass over the order (a repeated webhook, or the poll) finishes the attachment.
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> orderRow(link, orderId).at("/invoice/attached").asBoolean());

        assertThat(link.store().documents(orderId)).singleElement()
                .satisfies(d -> assertThat(d.get("public_id").asText()).isEqualTo(invoicesOf(link, orderId).get(0).numero()));
        String documents = "/orders/" + orderId + "/documents\\.json";
        assertThat(JUMPSELLER.requests()).filteredOn(r -> link.store().code().equals(r.storeCode()))
                .filteredOn(r -> r.is("POST", documents)).hasSize(1);
        assertThat(JUMPSELLER.requests()).filteredOn(r -> link.store().code().equals(r.storeCode()))
                .filteredOn(r -> r.is("GET", documents)).hasSize(1);
    }

    @Test
    void duplicateWebhooksPollAndManualInvoiceIssueOneInvoice() throws Exception {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long orderId = link.store().newOrder()
                .customer("bruno@example.com", "Bruno Díaz")
                .additionalField("DNI", "28111222")
                .line("REM-01", 1, 1210.00)
                .status("paid").create();

        ExecutorService pool = Executors.newFixedThreadPool(7);
        try {
            List<CompletableFuture<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                calls.add(CompletableFuture.supplyAsync(
                        () -> signedWebhook(link.store(), "order_paid", orderId).statusCode(), pool));
            }
            calls.add(CompletableFuture.supplyAsync(
                    () -> admin("POST", "/api/links/" + link.linkId() + "/orders/" + orderId + "/invoice", null)
                            .statusCode(), pool));
            calls.add(CompletableFuture.supplyAsync(() -> {
                poller.poll(link.linkId()).forEach(queue::send);
                return 200;
            }, pool));
            for (CompletableFuture<Integer> call : calls) {
                assertThat(call.get()).isIn(200, 202);
            }
        } finally {
            pool.shutdown();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "INVOICED".equals(status(link, orderId)));
        // let every queued copy be consumed before counting
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> link.account().issuedInvoices().size() == 1);
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CREAR)).isEqualTo(1);
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.EMITIR_FE)).isEqualTo(1);
        assertThat(CONTABILIUM.concurrentEmitirViolations()).isZero();
        assertThat(link.account().drafts()).isEmpty();
        assertThat(link.account().reissueAttempts()).isZero();
        assertThat(link.store().documents(orderId)).hasSize(1);
        JsonNode row = orderRow(link, orderId);
        assertThat(row.at("/invoice/cae").asText()).isEqualTo(link.account().issuedInvoices().get(0).cae());
    }
}
