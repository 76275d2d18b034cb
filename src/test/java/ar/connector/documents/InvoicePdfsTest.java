package ar.connector.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import ar.connector.config.ConnectorProperties;
import ar.connector.invoicing.DocumentSlot;
import ar.connector.invoicing.SandboxedConnectorTest;
import ar.connector.links.LinkRepository;
import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.Fault;
import ar.connector.support.LoopbackHttp;
import ar.connector.testsupport.TestConnector;

/**
 * Invoice PDFs come from one shared, bounded cache (Contabilium is asked once per document), and the
 * buyers' PDF links cannot stall the service: requests are budgeted per client address and per
 * token (429), a request waits a bounded time for Contabilium (503 with Retry-After), and webhooks
 * are answered while a storm of PDF requests is under way.
 */
class InvoicePdfsTest extends SandboxedConnectorTest {

    @Autowired
    DocumentLinks documentLinks;

    @Autowired
    InvoicePdfs pdfs;

    @Autowired
    LinkRepository links;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ConnectorProperties properties;

    @AfterEach
    void fastContabilium() {
        CONTABILIUM.clearFaults();
    }

    @Test
    void aDocumentsPdfIsReadFromContabiliumOnceWhoeverAsksForIt() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "PDF-1");
        long orderId = invoicedOrder(link, "PDF-1", 1);
        long documentId = orderRow(link, orderId).path("invoice").path("contabiliumId").asLong();
        String token = documentLinks.token(link.linkId(), orderId, DocumentSlot.INVOICE);

        for (int i = 0; i < 3; i++) {
            LoopbackHttp.Answer answer = LoopbackHttp.send("127.0.0.1", port, "GET", "/documents/" + token + ".pdf",
                    Map.of(), null);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).startsWith("%PDF-");
        }
        byte[] direct = pdfs.pdf(links.findById(link.linkId()).orElseThrow(), documentId);

        assertThat(new String(direct, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.OBTENER_PDF)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from document_pdf where account_id = ? and document_id = ?",
                Integer.class, link.account().email(), documentId)).isEqualTo(1);
    }

    @Test
    void theCacheDropsTheLeastRecentlyReadPdfsPastItsSize() {
        PdfCache small = new PdfCache(jdbc, TestConnector.properties("documents.cache-size", "40KB"));
        String account = "cache-size-" + System.nanoTime() + "@example.com";
        byte[] threeKb = new byte[3 * 1024];
        for (long document = 1; document <= 20; document++) {
            small.put(account, document, threeKb);
            if (document > 1) {
                assertThat(small.get(account, 1)).as("read again, document 1 stays").isPresent();
                touch(account, 1);
            }
        }
        assertThat(small.totalBytes()).isLessThanOrEqualTo(40 * 1024);
        assertThat(small.get(account, 1)).isPresent();
        assertThat(small.get(account, 20)).isPresent();
        assertThat(small.get(account, 2)).as("least recently read").isEmpty();
        byte[] tooLarge = new byte[5 * 1024];
        small.put(account, 99, tooLarge);
        assertThat(small.get(account, 99)).as("larger than a tenth of the cache: not kept").isEmpty();
    }

    @Test
    void requestsPerAddressAndPerTokenAreLimitedWith429() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "PDF-2");
        long orderId = invoicedOrder(link, "PDF-2", 1);
        String token = documentLinks.token(link.linkId(), orderId, DocumentSlot.INVOICE);
        ConnectorProperties.Documents limits = properties.documents();

        for (int i = 0; i < limits.requestsPerToken(); i++) {
            assertThat(pdfFrom("127.0.5." + (i + 1), token).status()).isEqualTo(200);
        }
        assertRetryLater(pdfFrom("127.0.5.250", token), 429);

        String guesser = "127.0.6.1";
        for (int i = 0; i < limits.requestsPerAddress(); i++) {
            assertThat(pdfFrom(guesser, "1-" + i + "-f-notsigned").status()).isEqualTo(404);
        }
        // Otherwise a 404 like the others: the address's budget answers first.
        assertRetryLater(pdfFrom(guesser, "1-999-f-notsigned"), 429);
    }

    /**
     * 200 PDF GETs at once, from 200 addresses over 20 documents whose PDFs Contabilium serves slowly,
     * while webhooks keep arriving: every webhook is answered 200 during the storm, and every PDF
     * request ends in 200 or in 503 with Retry-After — none waits without bound.
     */
    @Test
    void aStormOfPdfRequestsLeavesWebhooksAnsweredAndEveryPdfRequestBounded() throws Exception {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "PDF-3");
        List<Long> orders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long orderId = link.store().newOrder().customer("storm" + i + "@example.com", "Comprador " + i)
                    .additionalField("DNI", "2" + (7000000 + i)).line("PDF-3", 1, 1210.00).status("paid").create();
            assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
            orders.add(orderId);
        }
        orders.forEach(orderId -> awaitStatus(link, orderId, "INVOICED"));
        List<Long> baseline = webhookLatencies(link, orders.get(0), 10, null);
        CONTABILIUM.failNext(Endpoint.OBTENER_PDF, Fault.latency(Duration.ofMillis(1500)), 1000);

        ExecutorService browsers = Executors.newFixedThreadPool(200);
        List<CompletableFuture<LoopbackHttp.Answer>> storm = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                String token = documentLinks.token(link.linkId(), orders.get(i % orders.size()), DocumentSlot.INVOICE);
                String from = "127.0.7." + (i + 1);
                storm.add(CompletableFuture.supplyAsync(() -> pdfFrom(from, token), browsers));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(storm.toArray(CompletableFuture[]::new));
            List<Long> during = webhookLatencies(link, orders.get(0), 20, all);

            all.get(2, TimeUnit.MINUTES);
            int ok = 0;
            int busy = 0;
            for (CompletableFuture<LoopbackHttp.Answer> request : storm) {
                LoopbackHttp.Answer answer = request.get();
                if (answer.status() == 200) {
                    assertThat(answer.body()).startsWith("%PDF-");
                    ok++;
                } else {
                    assertRetryLater(answer, 503);
                    busy++;
                }
            }
            assertThat(during).as("webhooks answered while the storm was under way").isNotEmpty();
            assertThat(CONTABILIUM.count(link.account().email(), Endpoint.OBTENER_PDF))
                    .as("each document read from Contabilium at most once").isLessThanOrEqualTo(orders.size());
            System.out.printf("PDF storm: %d x 200, %d x 503; webhook ms before %s, during %s%n", ok, busy,
                    summary(baseline), summary(during));
        } finally {
            browsers.shutdownNow();
        }
    }

    /**
     * Sends {@code count} signed webhooks one after another (all must answer 200) and answers their
     * latencies in ms; with {@code until}, only those answered before it completed.
     */
    private List<Long> webhookLatencies(Linked link, long orderId, int count, CompletableFuture<Void> until) {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < count && (until == null || !until.isDone()); i++) {
            long start = System.nanoTime();
            HttpResponse<String> answer = signedWebhook(link.store(), "order_paid", orderId);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            if (until == null || !until.isDone()) {
                latencies.add(millis);
            }
        }
        return latencies;
    }

    private static String summary(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return sorted.isEmpty() ? "none" : "n=" + sorted.size() + " median=" + sorted.get(sorted.size() / 2)
                + " max=" + sorted.get(sorted.size() - 1);
    }

    private long invoicedOrder(Linked link, String sku, int n) {
        long orderId = link.store().newOrder().customer("pdf" + n + "@example.com", "Comprador PDF")
                .additionalField("DNI", "27111222").line(sku, 1, 1210.00).status("paid").create();
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "INVOICED");
        return orderId;
    }

    private LoopbackHttp.Answer pdfFrom(String address, String token) {
        return LoopbackHttp.send(address, port, "GET", "/documents/" + token + ".pdf", Map.of(), null);
    }

    private void touch(String account, long documentId) {
        // Reads mark a row at most once an hour; move time along by aging the others instead.
        jdbc.update("update document_pdf set last_read_at = last_read_at - interval '1' hour "
                + "where account_id = ? and document_id <> ?", account, documentId);
    }

    private static void assertRetryLater(LoopbackHttp.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(Long.parseLong(answer.header("Retry-After"))).isPositive();
    }
}
