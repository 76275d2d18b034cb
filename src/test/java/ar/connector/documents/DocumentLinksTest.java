package ar.connector.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import ar.connector.invoicing.DocumentSlot;
import ar.connector.invoicing.SandboxedConnectorTest;

/** The connector's own signed PDF links, used when Contabilium's public link was lost with an answer. */
class DocumentLinksTest extends SandboxedConnectorTest {

    @Autowired
    DocumentLinks documentLinks;

    @Test
    void aSignedLinkServesTheInvoicePdfAnonymouslyAndATamperedOneIsRefused() throws Exception {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "DOC-1");
        long orderId = link.store().newOrder().customer("doc@example.com", "Doc Buyer")
                .additionalField("DNI", "27111222").line("DOC-1", 1, 1210.00).status("paid").create();
        signedWebhook(link.store(), "order_paid", orderId);
        await().atMost(Duration.ofSeconds(20)).until(() -> "INVOICED".equals(status(link, orderId)));

        String token = documentLinks.token(link.linkId(), orderId, DocumentSlot.INVOICE);
        HttpResponse<byte[]> pdf = get("/documents/" + token + ".pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/pdf"));
        assertThat(new String(pdf.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");

        String otherOrder = token.replaceFirst("-" + orderId + "-", "-" + (orderId + 1) + "-");
        assertThat(get("/documents/" + otherOrder + ".pdf").statusCode()).isEqualTo(404);
        String creditNoteOfSameOrder = documentLinks.token(link.linkId(), orderId, DocumentSlot.CREDIT_NOTE);
        assertThat(get("/documents/" + creditNoteOfSameOrder + ".pdf").statusCode())
                .as("no credit note was issued").isEqualTo(404);
    }

    @Test
    void contabiliumsPublicLinkIsPreferredAndWithoutAPublicUrlThereIsNoOwnLink() {
        assertThat(documentLinks.url("https://app.contabilium.com/x.pdf", 1, 2, DocumentSlot.INVOICE))
                .contains("https://app.contabilium.com/x.pdf");
        // The test profile sets no connector.public-url: the connector has no address buyers could reach.
        assertThat(documentLinks.url(null, 1, 2, DocumentSlot.INVOICE)).isEmpty();
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
