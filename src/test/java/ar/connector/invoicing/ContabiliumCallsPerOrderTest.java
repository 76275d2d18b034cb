package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.RecordedCall;
import ar.connector.sandbox.contabilium.SandboxDocument;

/**
 * Contabilium calls per invoiced order on a mix like the benchmark's (issue 15): new buyers are
 * registered directly (no look-up first), a bulk run reads the account's concepts a page of 50 at a
 * time instead of one {@code getByCodigo} per SKU, and only a buyer Contabilium already has costs a
 * look-up after its "ya se encuentra registrado".
 */
class ContabiliumCallsPerOrderTest extends SandboxedConnectorTest {

    private static final ZoneId BUENOS_AIRES = ZoneId.of("America/Argentina/Buenos_Aires");

    @Test
    void aBulkRunOfNewBuyersCostsLittleMoreThanCrearAndEmitirPerOrder() {
        int orders = 100;
        int buyers = 30;
        int skus = 20;
        String[] codes = new String[skus];
        for (int i = 0; i < skus; i++) {
            codes[i] = "SKU-" + i;
        }
        Linked link = newLink("RI", Map.of("includeShippingCost", false), codes);
        // A catalogue larger than the SKUs sold: two pages of 50.
        for (int i = 0; i < 70; i++) {
            link.account().addConcepto("OTRO-" + i, "Otro " + i, new BigDecimal("100.00"), new BigDecimal("10.5"));
        }
        // One buyer Contabilium already holds, with another IVA condition than the order states.
        long known = link.account().addCustomer("Comprador 0", "MO", "DNI", "20000000");
        Random random = new Random(7);
        OffsetDateTime at = OffsetDateTime.now(BUENOS_AIRES).minusMinutes(30);
        for (int i = 0; i < orders; i++) {
            int buyer = i < buyers ? i : random.nextInt(buyers);
            var order = link.store().newOrder().customer("comprador" + buyer + "@example.com", "Comprador " + buyer)
                    .additionalField("DNI", String.valueOf(20_000_000 + buyer)).createdAt(at).status("paid");
            int lines = 1 + random.nextInt(3);
            for (int l = 0; l < lines; l++) {
                order.line(codes[(i + l) % skus], 1 + random.nextInt(3), 1210.00);
            }
            order.create();
        }
        long since = System.nanoTime();
        java.time.Instant runStart = java.time.Instant.now();
        LocalDate today = LocalDate.now(BUENOS_AIRES);
        var accepted = admin("POST", "/api/links/" + link.linkId() + "/invoice-runs",
                Map.of("from", today.minusDays(1).toString(), "to", today.toString()));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String runId = json(accepted.body()).get("runId").asText();
        JsonNode[] run = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            run[0] = json(admin("GET", "/api/invoice-runs/" + runId, null).body());
            return "DONE".equals(run[0].path("state").asText());
        });
        assertThat(run[0].get("invoiced").asInt()).isEqualTo(orders);

        Map<Endpoint, Long> calls = callsOf(link.account().email(), runStart);
        System.out.printf("Calls per endpoint for %d orders, %d buyers, %d SKUs: %s (%.1f s)%n", orders, buyers, skus,
                calls, (System.nanoTime() - since) / 1e9);
        assertThat(calls.get(Endpoint.CREAR)).isEqualTo(orders);
        assertThat(calls.get(Endpoint.EMITIR_FE)).isEqualTo(orders);
        // Every buyer registered directly; only the one Contabilium had is looked up (after its 500) and updated.
        assertThat(calls.get(Endpoint.CLIENTE_CREATE)).isEqualTo(buyers);
        assertThat(calls.get(Endpoint.CLIENTE_BY_DOC)).isEqualTo(1);
        assertThat(calls.get(Endpoint.CLIENTE_UPDATE)).isEqualTo(1);
        assertThat(link.account().customers()).hasSize(buyers);
        // The catalogue read whole (90 concepts: 2 pages); no SKU asked for on its own.
        assertThat(calls.get(Endpoint.CONCEPTO_SEARCH)).isEqualTo(2);
        assertThat(calls.getOrDefault(Endpoint.CONCEPTO_BY_CODIGO, 0L)).isZero();
        long total = calls.entrySet().stream().filter(e -> e.getKey() != Endpoint.TOKEN)
                .mapToLong(Map.Entry::getValue).sum();
        assertThat(total / (double) orders).as("calls per order").isLessThanOrEqualTo(2.4);
        // The run's own count includes the catalogue read (the link's checks at its creation are not the run's).
        assertThat(run[0].get("contabiliumCalls").asLong()).isEqualTo(total);

        // The known customer was reused (not duplicated) and now holds the order's condition; each
        // invoice names its buyer's customer and carries the concepts' Ids and IVA.
        assertThat(link.account().issuedInvoices()).hasSize(orders)
                .filteredOn(d -> d.idCliente() == known).isNotEmpty();
        SandboxDocument any = link.account().issuedInvoices().get(0);
        assertThat(any.items()).allSatisfy(line -> assertThat(line.iva()).isEqualByComparingTo("21"));
    }

    @Test
    void ordersOfSeveralUnknownSkusReadTheCatalogueOnceAndAskForANewSkuOnItsOwn() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "A-1", "A-2", "A-3", "A-4", "A-5", "A-6");
        long first = link.store().newOrder().additionalField("DNI", "27111222").line("A-1", 1, 1210.00)
                .line("A-2", 1, 1210.00).line("A-3", 1, 1210.00).line("A-4", 1, 1210.00).status("paid").create();
        assertThat(signedWebhook(link.store(), "order_paid", first).statusCode()).isEqualTo(200);
        awaitStatus(link, first, "INVOICED");
        Map<Endpoint, Long> calls = callsOf(link.account().email(), java.time.Instant.EPOCH);
        // Two SKUs asked for on their own, the third unknown one makes the catalogue worth a read.
        assertThat(calls.get(Endpoint.CONCEPTO_BY_CODIGO)).isEqualTo(ConceptCatalogue.MANY_MISSES - 1);
        assertThat(calls.get(Endpoint.CONCEPTO_SEARCH)).isEqualTo(1);

        // A SKU created after the read: one getByCodigo; the catalogue's others cost nothing.
        link.account().addConcepto("A-7", "Producto A-7", new BigDecimal("1210.00"), new BigDecimal("10.5"));
        long second = link.store().newOrder().additionalField("DNI", "27111223").line("A-5", 1, 1210.00)
                .line("A-6", 1, 1210.00).line("A-7", 1, 1210.00).status("paid").create();
        assertThat(signedWebhook(link.store(), "order_paid", second).statusCode()).isEqualTo(200);
        awaitStatus(link, second, "INVOICED");
        calls = callsOf(link.account().email(), java.time.Instant.EPOCH);
        assertThat(calls.get(Endpoint.CONCEPTO_BY_CODIGO)).isEqualTo(ConceptCatalogue.MANY_MISSES);
        assertThat(calls.get(Endpoint.CONCEPTO_SEARCH)).isEqualTo(1);
        SandboxDocument invoice = invoicesOf(link, second).get(0);
        assertThat(invoice.items()).filteredOn(l -> "A-7".equals(l.codigo()))
                .singleElement().satisfies(l -> assertThat(l.iva()).isEqualByComparingTo("10.5"));
        await().atMost(Duration.ofSeconds(5)).until(() -> link.account().customers().size() == 2);
        assertThat(calls.getOrDefault(Endpoint.CLIENTE_BY_DOC, 0L)).isZero();
    }

    /** The account's calls since {@code since} (the link's own checks when it was created come before a run). */
    private static Map<Endpoint, Long> callsOf(String email, java.time.Instant since) {
        Map<Endpoint, Long> counts = new EnumMap<>(Endpoint.class);
        List<RecordedCall> all = CONTABILIUM.calls();
        for (RecordedCall call : all) {
            if (call.endpoint() != null && email.equalsIgnoreCase(call.account()) && !call.at().isBefore(since)) {
                counts.merge(call.endpoint(), 1L, Long::sum);
            }
        }
        return counts;
    }
}
