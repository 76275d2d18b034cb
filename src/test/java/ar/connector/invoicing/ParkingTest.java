package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ar.connector.sandbox.contabilium.Endpoint;

/**
 * Every parking reason of SPEC §4, each shown precisely in the order's row, none leaving a stray draft in
 * Contabilium, and a retry after fixing the cause invoices the order.
 */
class ParkingTest extends SandboxedConnectorTest {

    @Test
    void unknownSkuParksNamingTheSkuAndARetryAfterCreatingTheProductInvoices() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long orderId = link.store().newOrder()
                .customer("gaby@example.com", "Gabriela Paz")
                .additionalField("DNI", "30111222")
                .line("REM-01", 1, 1210.00)
                .line("GORRA-77", 1, 605.00)
                .status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        JsonNode row = awaitStatus(link, orderId, "PARKED");

        assertThat(row.get("reason").asText()).isEqualTo("El SKU GORRA-77 no tiene producto en Contabilium");
        assertNothingCreated(link);

        link.account().addConcepto("GORRA-77", "Gorra", new BigDecimal("605.00"), new BigDecimal("21"));
        assertThat(invoiceNow(link, orderId).statusCode()).isEqualTo(202);
        awaitStatus(link, orderId, "INVOICED");
        assertThat(invoicesOf(link, orderId)).singleElement()
                .satisfies(invoice -> assertThat(invoice.importeTotalNeto()).isEqualByComparingTo("1815.00"));
        assertThat(link.account().drafts()).isEmpty();
    }

    @Test
    void facturaAWithoutValidCuitParksShowingWhatTheBuyerTyped() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long orderId = link.store().newOrder()
                .customer("hugo@example.com", "Hugo Sosa")
                .additionalField("Condición frente al IVA", "Responsable Inscripto")
                .additionalField("CUIT", "20-12345678-0") // wrong check digit
                .line("REM-01", 1, 1210.00)
                .status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        JsonNode row = awaitStatus(link, orderId, "PARKED");

        assertThat(row.get("reason").asText())
                .startsWith("Factura A requiere un CUIT válido: el comprador es Responsable Inscripto")
                .contains("20-12345678-0");
        assertNothingCreated(link);
    }

    @Test
    void unidentifiedConsumidorFinalAtTheThresholdParks() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "TV-85");
        long orderId = link.store().newOrder()
                .customer("ines@example.com", "Inés Vega")
                .line("TV-85", 1, 10_000_000.00)
                .status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        JsonNode row = awaitStatus(link, orderId, "PARKED");

        assertThat(row.get("reason").asText())
                .startsWith("El comprador no está identificado (sin DNI ni CUIT)")
                .contains("$ 10.000.000,00");
        assertNothingCreated(link);
    }

    @Test
    void totalsThatDisagreeParkShowingBothAmounts() throws Exception {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long orderId = link.store().newOrder()
                .customer("juan@example.com", "Juan Ríos")
                .additionalField("DNI", "29333444")
                .line("REM-01", 1, 1210.00)
                .status("paid").create();
        // Jumpseller states a subtotal its lines do not add up to.
        ObjectNode order = link.store().order(orderId);
        order.put("subtotal", "1300.00");
        order.put("total", "1300.00");
        byte[] body = mapper.writeValueAsBytes(Map.of("order", order));

        assertThat(webhook("order_paid", link.store().code(), body, link.store().sign(body)).statusCode()).isEqualTo(200);
        JsonNode row = awaitStatus(link, orderId, "PARKED");

        assertThat(row.get("reason").asText())
                .startsWith("El total calculado ($ 1.210,00) no coincide con el del pedido ($ 1.300,00)");
        assertNothingCreated(link);
    }

    @Test
    void anAccountThatDoesNotStateItsIvaConditionParksAndARetryAfterSettingItInvoices() {
        Linked link = newLink(null, Map.of("includeShippingCost", false), "REM-01");
        long orderId = link.store().newOrder()
                .customer("nora@example.com", "Nora Gil")
                .additionalField("DNI", "30555666")
                .line("REM-01", 1, 1210.00)
                .status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        JsonNode row = awaitStatus(link, orderId, "PARKED");

        assertThat(row.get("reason").asText())
                .startsWith("La cuenta de Contabilium no informa su condición frente al IVA (CondicionIVA)");
        assertNothingCreated(link);

        link.account().setCondicionIva("MO");
        assertThat(invoiceNow(link, orderId).statusCode()).isEqualTo(202);
        awaitStatus(link, orderId, "INVOICED");
        assertThat(invoicesOf(link, orderId)).singleElement()
                .satisfies(invoice -> assertThat(invoice.tipoFc()).isEqualTo("FCC"));
    }

    @Test
    void nonArsOrderParksNamingItsCurrency() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long orderId = link.store().newOrder()
                .customer("kim@example.com", "Kim Lee")
                .additionalField("DNI", "94555666")
                .currency("USD")
                .line("REM-01", 1, 12.10)
                .status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        JsonNode row = awaitStatus(link, orderId, "PARKED");

        assertThat(row.get("reason").asText()).isEqualTo("La moneda del pedido es USD; solo se facturan pedidos en ARS");
        assertNothingCreated(link);
    }

    @Test
    void arcaRejectionParksWithArcasMessageRemovesTheDraftAndARetryInvoices() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long orderId = link.store().newOrder()
                .customer("luz@example.com", "Luz Díaz")
                .line("REM-01", 2, 1210.00)
                .status("paid").create();
        // ARCA asks an anonymous consumidor final to be identified from a lower amount than the connector knows.
        CONTABILIUM.setIdentificationThreshold(new BigDecimal("1000"));
        try {
            assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
            JsonNode row = awaitStatus(link, orderId, "PARKED");

            assertThat(row.get("reason").asText()).startsWith("ARCA rechazó el comprobante: 10069:");
            assertThat(CONTABILIUM.count(link.account().email(), Endpoint.EMITIR_FE)).isEqualTo(1);
            assertThat(link.account().issuedInvoices()).isEmpty();
            assertThat(link.account().drafts()).isEmpty();
        } finally {
            CONTABILIUM.setIdentificationThreshold(new BigDecimal("10000000"));
        }

        assertThat(invoiceNow(link, orderId).statusCode()).isEqualTo(202);
        awaitStatus(link, orderId, "INVOICED");
        assertThat(invoicesOf(link, orderId)).singleElement()
                .satisfies(invoice -> assertThat(invoice.importeTotalNeto()).isEqualByComparingTo("2420.00"));
        assertThat(link.account().drafts()).isEmpty();
    }

    @Test
    void anInvoiceArcaWantsAsFacturaDeCreditoElectronicaParksSayingSoAndIsNotRetried() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "MAQ-01");
        link.account().requireFceMiPyme("30712345671", new BigDecimal("1000000"));
        long orderId = link.store().newOrder()
                .customer("compras@grande.example.com", "Compras Grande")
                .billingCompany("Grande SA", "Responsable Inscripto")
                .additionalField("CUIT", "30-71234567-1")
                .line("MAQ-01", 1, 1_210_000.00)
                .status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        JsonNode row = awaitStatus(link, orderId, "PARKED");

        assertThat(row.get("reason").asText())
                .startsWith("ARCA exige Factura de Crédito Electrónica MiPyME (FCE) para este comprador y este monto")
                .contains("10192");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> CONTABILIUM.count(link.account().email(), Endpoint.EMITIR_FE) == 1);
        assertThat(link.account().issuedInvoices()).isEmpty();
        assertThat(link.account().drafts()).isEmpty();
    }

    /** Parked before any draft: Contabilium holds no document at all for the account. */
    private void assertNothingCreated(Linked link) {
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CREAR)).isZero();
        assertThat(link.account().documents()).isEmpty();
    }
}
