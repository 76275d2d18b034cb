package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.Fault;
import ar.connector.sandbox.contabilium.SandboxDocument;

/** Issue 7: an invoiced order that is canceled gets exactly one credit note of the invoice's letter. */
class CreditNotesTest extends SandboxedConnectorTest {

    private long paidOrder(Linked link, String dni) {
        return link.store().newOrder()
                .customer("cliente" + dni + "@example.com", "Cliente " + dni)
                .additionalField("DNI", dni)
                .line("SKU-NC", 2, 1210.00)
                .line("SKU-NC", 1, 605.50, 5.50)
                .status("paid").create();
    }

    private void invoice(Linked link, long orderId) {
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "INVOICED".equals(status(link, orderId)));
    }

    private void cancel(Linked link, long orderId) {
        link.store().setOrderStatus(orderId, "canceled");
        assertThat(signedWebhook(link.store(), "order_canceled", orderId).statusCode()).isEqualTo(200);
    }

    @Test
    void canceledInvoicedOrderGetsOneCreditNoteOfTheSameLetterForTheFullAmount() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "SKU-NC");
        long orderId = paidOrder(link, "30111222");
        invoice(link, orderId);
        SandboxDocument invoice = link.account().issuedInvoices().get(0);

        cancel(link, orderId);

        await().atMost(Duration.ofSeconds(20)).until(() -> "CREDITED".equals(status(link, orderId)));
        List<SandboxDocument> notes = link.account().issuedCreditNotes();
        assertThat(notes).hasSize(1);
        SandboxDocument note = notes.get(0);
        assertThat(note.tipoFc()).isEqualTo("NCB");
        assertThat(note.idComprobanteAsociado()).isEqualTo(invoice.id());
        assertThat(note.importeTotalNeto()).isEqualByComparingTo(invoice.importeTotalNeto());
        assertThat(note.cae()).isNotBlank();
        assertThat(note.emitidoEl()).isEqualTo(java.time.LocalDate.now(OrderInvoicer.BUENOS_AIRES));
        JsonNode row = orderRow(link, orderId);
        assertThat(row.at("/creditNote/cae").asText()).isEqualTo(note.cae());
        assertThat(row.at("/invoice/cae").asText()).isEqualTo(invoice.cae());
        await().atMost(Duration.ofSeconds(10)).until(() -> link.store().documents(orderId).stream()
                .anyMatch(d -> d.get("document_type").asInt() == 0));
    }

    @Test
    void withReceiptsOnTheCreditNoteIsMailedToTheBuyerLikeAnInvoice() throws Exception {
        Linked link = newLink("RI", Map.of("includeShippingCost", false, "emailReceipts", true), "SKU-NC");
        long orderId = paidOrder(link, "30111666");
        String buyer = "cliente30111666@example.com";
        invoice(link, orderId);
        await().atMost(Duration.ofSeconds(20)).until(() -> ar.connector.support.TestMail.to(buyer).size() == 1);

        cancel(link, orderId);

        await().atMost(Duration.ofSeconds(30)).until(() -> ar.connector.support.TestMail.to(buyer).size() == 2);
        SandboxDocument note = link.account().issuedCreditNotes().get(0);
        jakarta.mail.internet.MimeMessage mail = ar.connector.support.TestMail.to(buyer).get(1);
        assertThat(mail.getSubject()).contains("Nota de crédito B").contains(note.numero());
        jakarta.mail.Multipart parts = (jakarta.mail.Multipart) mail.getContent();
        List<String> files = new java.util.ArrayList<>();
        for (int i = 0; i < parts.getCount(); i++) {
            if (parts.getBodyPart(i).getFileName() != null) {
                files.add(parts.getBodyPart(i).getFileName());
            }
        }
        assertThat(files).containsExactly("NotaDeCredito-B-" + note.numero() + ".pdf");
    }

    @Test
    void canceledBeforeInvoicingIsSkippedAndALatePaidEventInvoicesNothing() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false, "autoInvoice", false), "SKU-NC");
        long orderId = paidOrder(link, "30111333");
        // autoInvoice off: the paid event leaves it PENDING, then it is canceled before anyone invoices it.
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "PENDING".equals(status(link, orderId)));
        byte[] stalePaidPayload = orderPayload(link.store(), orderId);
        cancel(link, orderId);
        await().atMost(Duration.ofSeconds(20)).until(() -> "SKIPPED".equals(status(link, orderId)));

        // A late copy of the old paid event, and even a person asking to invoice it, change nothing.
        assertThat(webhook("order_paid", link.store().code(), stalePaidPayload, link.store().sign(stalePaidPayload))
                .statusCode()).isEqualTo(200);
        admin("POST", "/api/links/" + link.linkId() + "/orders/" + orderId + "/invoice", null);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> "SKIPPED".equals(status(link, orderId)));
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CREAR)).isZero();
    }

    @Test
    void duplicateCancelEventsAndACrashAfterTheCreditNoteCaeStillMakeOneCreditNote() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "SKU-NC");
        long orderId = paidOrder(link, "30111444");
        invoice(link, orderId);

        // The credit note's CAE is granted, but the answer is lost: the next attempt must read it back.
        CONTABILIUM.failNext(Endpoint.EMITIR_FE, Fault.EMITIR_FAILS_AFTER_CAE, 1);
        link.store().setOrderStatus(orderId, "canceled");
        for (int i = 0; i < 3; i++) {
            assertThat(signedWebhook(link.store(), "order_canceled", orderId).statusCode()).isEqualTo(200);
        }
        assertThat(signedWebhook(link.store(), "order_updated", orderId).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> "CREDITED".equals(status(link, orderId)));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> link.account().issuedCreditNotes().size() == 1);
        assertThat(link.account().issuedInvoices()).hasSize(1);
        assertThat(link.account().drafts()).isEmpty();
        assertThat(CONTABILIUM.concurrentEmitirViolations()).isZero();
    }

    @Test
    void withAutomaticCreditNotesOffTheOrderIsParkedAndCanBeCreditedOnDemand() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false, "autoCreditNote", false), "SKU-NC");
        long orderId = paidOrder(link, "30111555");
        invoice(link, orderId);

        cancel(link, orderId);
        await().atMost(Duration.ofSeconds(20)).until(() -> "PARKED".equals(status(link, orderId)));
        assertThat(orderRow(link, orderId).get("reason").asText()).contains("cancelado después de facturarse");
        assertThat(link.account().issuedCreditNotes()).isEmpty();

        assertThat(admin("POST", "/api/links/" + link.linkId() + "/orders/" + orderId + "/credit-note", null)
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> "CREDITED".equals(status(link, orderId)));
        assertThat(link.account().issuedCreditNotes()).hasSize(1);
    }
}
