package ar.connector.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.contabilium.Alicuota;
import ar.connector.contabilium.CbModel;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.invoicing.SandboxedConnectorTest;
import ar.connector.sandbox.contabilium.Endpoint;

/**
 * GET /api/links/{id}/reconciliation on the sandboxes, with each kind of difference planted next to
 * orders that reconcile: the JSON and the CSV name exactly the planted ones, each with its action.
 * Run on H2 ({@link ReconciliationTest}) and on PostgreSQL ({@link PostgresReconciliationTest}): the
 * comparison is SQL.
 */
abstract class AbstractReconciliationTest extends SandboxedConnectorTest {

    private static final ZoneId BUENOS_AIRES = ZoneId.of("America/Argentina/Buenos_Aires");

    @Autowired
    ContabiliumClient contabilium;

    @Test
    void eachKindOfDifferenceIsFoundAndNothingElse() throws Exception {
        Linked link = newLink("RI", Map.of("includeShippingCost", false, "autoCreditNote", false), "REM-01");
        String month = YearMonth.now(BUENOS_AIRES).toString();

        // Reconciles: invoiced by the connector; invoiced and then credited on request.
        long invoiced = paidAndWebhooked(link, "REM-01", "Ana Ok");
        awaitStatus(link, invoiced, "INVOICED");
        long credited = paidAndWebhooked(link, "REM-01", "Beto Nota");
        awaitStatus(link, credited, "INVOICED");
        assertThat(admin("POST", "/api/links/" + link.linkId() + "/orders/" + credited + "/credit-note", null).statusCode())
                .isEqualTo(202);
        awaitStatus(link, credited, "CREDITED");

        // 1. Paid without invoice: parked by the connector, and one it never heard of.
        long parked = paidAndWebhooked(link, "SIN-PRODUCTO", "Carla Parked");
        awaitStatus(link, parked, "PARKED");
        long unheard = paidOrder(link, "REM-01", "Dario Nunca");

        // 2. Invoices without order: one issued by hand, one for an order never paid, one for no order at all.
        long byHand = issueByHand(link, null, new BigDecimal("5000.00"));
        long unpaidOrder = link.store().newOrder().customer("ema@example.com", "Ema Impaga").line("REM-01", 1, 1210.00)
                .create();
        long forUnpaid = issueByHand(link, "jumpseller:" + link.store().code() + ":" + unpaidOrder, new BigDecimal("1210.00"));
        long forNobody = issueByHand(link, "jumpseller:" + link.store().code() + ":987654321", new BigDecimal("1210.00"));

        // 3. A total that differs: an invoice made by hand with the order's reference and another amount.
        long edited = paidOrder(link, "REM-01", "Fabio Importe");
        long wrongTotal = issueByHand(link, "jumpseller:" + link.store().code() + ":" + edited, new BigDecimal("1000.00"));

        // 4. Canceled after invoicing, and no credit note (automatic credit notes are off for this link).
        long canceled = paidAndWebhooked(link, "REM-01", "Gina Cancela");
        awaitStatus(link, canceled, "INVOICED");
        link.store().setOrderStatus(canceled, "canceled");
        assertThat(signedWebhook(link.store(), "order_canceled", canceled).statusCode()).isEqualTo(200);
        awaitStatus(link, canceled, "PARKED");

        // Another store's document on the same Contabilium account is not this store's business.
        issueByHand(link, "jumpseller:otra-tienda:" + invoiced, new BigDecimal("777.00"));

        JsonNode report = awaitReport(link, month);
        assertThat(report.get("state").asText()).isEqualTo("DONE");
        assertThat(report.at("/counts/ORDER_WITHOUT_INVOICE").asInt()).isEqualTo(2);
        assertThat(report.at("/counts/INVOICE_WITHOUT_ORDER").asInt()).isEqualTo(3);
        assertThat(report.at("/counts/TOTAL_DIFFERS").asInt()).isEqualTo(1);
        assertThat(report.at("/counts/CREDITED_WITHOUT_CREDIT_NOTE").asInt()).isEqualTo(1);
        List<JsonNode> differences = new ArrayList<>();
        report.get("differences").forEach(differences::add);
        assertThat(differences).hasSize(7);

        JsonNode parkedRow = only(differences, "ORDER_WITHOUT_INVOICE", parked);
        assertThat(parkedRow.get("detail").asText()).contains("requiere atención", "SIN-PRODUCTO");
        assertThat(parkedRow.at("/action/api").asText()).isEqualTo("POST /api/links/" + link.linkId() + "/orders/" + parked + "/invoice");
        assertThat(only(differences, "ORDER_WITHOUT_INVOICE", unheard).get("detail").asText()).contains("no lo registró");

        assertThat(byDocument(differences, byHand).get("detail").asText()).contains("a mano");
        assertThat(byDocument(differences, byHand).at("/action/console").asText())
                .isEqualTo("/console/stores/" + link.linkId() + "/comprobantes/" + byHand + "/pdf");
        assertThat(byDocument(differences, forUnpaid).get("detail").asText()).contains("#" + unpaidOrder, "pending_payment");
        assertThat(byDocument(differences, forNobody).get("detail").asText()).contains("#987654321", "no existe");

        JsonNode total = only(differences, "TOTAL_DIFFERS", edited);
        assertThat(total.get("contabiliumId").asLong()).isEqualTo(wrongTotal);
        assertThat(total.get("expectedTotal").decimalValue()).isEqualByComparingTo("1210.00");
        assertThat(total.get("documentTotal").decimalValue()).isEqualByComparingTo("1000.00");

        JsonNode noCredit = only(differences, "CREDITED_WITHOUT_CREDIT_NOTE", canceled);
        assertThat(noCredit.at("/action/api").asText()).isEqualTo("POST /api/links/" + link.linkId() + "/orders/" + canceled + "/credit-note");
        assertThat(differences).noneMatch(d -> d.path("orderId").asLong() == invoiced || d.path("orderId").asLong() == credited);

        // The same report as CSV, every row with its action.
        HttpResponse<String> csv = get(link, "/api/links/" + link.linkId() + "/reconciliation?month=" + month, "text/csv");
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv.body())).getRecords();
        assertThat(rows).hasSize(7);
        assertThat(rows).extracting(r -> r.get("kind")).containsOnly("ORDER_WITHOUT_INVOICE", "INVOICE_WITHOUT_ORDER",
                "TOTAL_DIFFERS", "CREDITED_WITHOUT_CREDIT_NOTE");
        CSVRecord csvTotal = rows.stream().filter(r -> r.get("kind").equals("TOTAL_DIFFERS")).findFirst().orElseThrow();
        assertThat(csvTotal.get("pedido")).isEqualTo(String.valueOf(edited));
        assertThat(new BigDecimal(csvTotal.get("importe_comprobante"))).isEqualByComparingTo("1000.00");
        assertThat(csvTotal.get("diferencia")).isEqualTo("Importes que no coinciden");
        assertThat(rows).allMatch(r -> !r.get("accion").isBlank() && r.get("consola").startsWith("/console/stores/"));
    }

    @Test
    void theReadsArePagedAndAFinishedReportIsReusedUntilRefreshed() throws Exception {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        String month = YearMonth.now(BUENOS_AIRES).toString();
        // More than one page of each side: 120 paid orders (Jumpseller pages of 100), none invoiced, and
        // 60 documents issued by hand (Contabilium pages of 50).
        for (int i = 0; i < 120; i++) {
            paidOrder(link, "REM-01", "Comprador " + i);
        }
        for (int i = 0; i < 60; i++) {
            issueByHand(link, null, new BigDecimal("100.00"));
        }
        CONTABILIUM.resetCalls();
        JsonNode report = awaitReport(link, month);
        assertThat(report.at("/counts/ORDER_WITHOUT_INVOICE").asInt()).isEqualTo(120);
        assertThat(report.at("/counts/INVOICE_WITHOUT_ORDER").asInt()).isEqualTo(60);
        assertThat(report.get("ordersRead").asInt()).isEqualTo(120);
        assertThat(report.get("documentsRead").asInt()).isEqualTo(60);
        // Contabilium was read in pages, not document by document.
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.COMPROBANTE_SEARCH)).isEqualTo(2);
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.COMPROBANTE_GET)).isZero();
        // Paged answer: the second page of 50 of the 180 differences.
        HttpResponse<String> page = get(link, "/api/links/" + link.linkId() + "/reconciliation?month=" + month
                + "&page=1&size=50", "application/json");
        JsonNode second = json(page.body());
        assertThat(second.at("/page/totalElements").asInt()).isEqualTo(180);
        assertThat(second.at("/page/totalPages").asInt()).isEqualTo(4);
        assertThat(second.get("differences")).hasSize(50);
        assertThat(second.get("reconciliationId").asText()).isEqualTo(report.get("reconciliationId").asText());

        // refresh=true starts a new one.
        HttpResponse<String> fresh = get(link, "/api/links/" + link.linkId() + "/reconciliation?month=" + month
                + "&refresh=true", "application/json");
        assertThat(fresh.statusCode()).isEqualTo(202);
        assertThat(fresh.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(json(fresh.body()).get("reconciliationId").asText()).isNotEqualTo(report.get("reconciliationId").asText());
    }

    @Test
    void aMonthOfMoreDocumentsThanContabiliumsSearchAnswersIsReadWhole() throws Exception {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        YearMonth month = YearMonth.now(BUENOS_AIRES).minusMonths(1);
        // 1,200 documents issued by hand last month: more than the 20 pages of 50 a search answers.
        link.account().addIssuedInvoices(month.atDay(1), 600);
        link.account().addIssuedInvoices(month.atEndOfMonth(), 600);

        JsonNode report = awaitReport(link, month.toString());

        assertThat(report.get("documentsRead").asInt()).isEqualTo(1200);
        assertThat(report.at("/counts/INVOICE_WITHOUT_ORDER").asInt()).isEqualTo(1200);
    }

    @Test
    void aBadMonthOrLinkIsAProblem() {
        Linked link = newLink("RI", Map.of(), "REM-01");
        for (String bad : List.of("2026-13", "noviembre", YearMonth.now(BUENOS_AIRES).plusMonths(1).toString())) {
            HttpResponse<String> answer = admin("GET", "/api/links/" + link.linkId() + "/reconciliation?month=" + bad, null);
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(answer.body()).at("/errors/0/field").asText()).isEqualTo("month");
        }
        assertThat(admin("GET", "/api/links/999999/reconciliation?month=2026-01", null).statusCode()).isEqualTo(404);
    }

    // ---- helpers ----

    private long paidOrder(Linked link, String sku, String buyer) {
        return link.store().newOrder().customer(buyer.toLowerCase().replaceAll("[^a-z]", "") + "@example.com", buyer)
                .additionalField("DNI", "30123456").line(sku, 1, 1210.00).status("paid").create();
    }

    private long paidAndWebhooked(Linked link, String sku, String buyer) {
        long orderId = paidOrder(link, sku, buyer);
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        return orderId;
    }

    /** A Factura B made in Contabilium itself (not by the connector), with the given RefExterna. */
    private long issueByHand(Linked link, String refExterna, BigDecimal finalPrice) {
        ContabiliumAccount account = new ContabiliumAccount(link.account().email(), link.account().apiKey());
        long customer = link.account().addCustomer("Cliente de mostrador", "CF", "DNI", "20111222");
        BigDecimal net = finalPrice.divide(new BigDecimal("1.21"), 4, RoundingMode.HALF_UP);
        CbModel.Item item = new CbModel.Item(null, "REM-01", "Remera", BigDecimal.ONE, net, Alicuota.rate(new BigDecimal("21")),
                BigDecimal.ZERO);
        long id = contabilium.crear(account, new CbModel.ComprobanteRequest(customer, "FCB", "E", 1, "Contado", 1, null,
                LocalDate.now(BUENOS_AIRES) + "T00:00:00", null, "hecha a mano", refExterna, null, BigDecimal.ZERO,
                BigDecimal.ZERO, null, null, false, List.of(item)));
        assertThat(contabilium.emitirFE(account, id).granted()).isTrue();
        return id;
    }

    private JsonNode awaitReport(Linked link, String month) {
        String path = "/api/links/" + link.linkId() + "/reconciliation?month=" + month;
        HttpResponse<String> first = get(link, path, "application/json");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(json(first.body()).get("state").asText()).isIn("QUEUED", "RUNNING");
        HttpResponse<String>[] last = new HttpResponse[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = get(link, path, "application/json");
            return last[0].statusCode() != 202;
        });
        assertThat(last[0].statusCode()).as(last[0].body()).isEqualTo(200);
        return json(last[0].body());
    }

    private HttpResponse<String> get(Linked link, String path, String accept) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                            .getBytes(StandardCharsets.UTF_8)))
                    .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode only(List<JsonNode> differences, String kind, long orderId) {
        List<JsonNode> found = differences.stream()
                .filter(d -> d.get("kind").asText().equals(kind) && d.path("orderId").asLong() == orderId).toList();
        assertThat(found).as(kind + " of order " + orderId).hasSize(1);
        return found.get(0);
    }

    private static JsonNode byDocument(List<JsonNode> differences, long documentId) {
        List<JsonNode> found = differences.stream().filter(d -> d.path("contabiliumId").asLong() == documentId).toList();
        assertThat(found).as("document " + documentId).hasSize(1);
        assertThat(found.get(0).get("kind").asText()).isEqualTo("INVOICE_WITHOUT_ORDER");
        return found.get(0);
    }
}
