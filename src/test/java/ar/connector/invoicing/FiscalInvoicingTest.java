package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.SandboxCustomer;
import ar.connector.sandbox.contabilium.SandboxDocument;

/**
 * SPEC §4 end to end: the letter, buyer, net prices, IVA per product, discounts and shipping, checked on
 * what the Contabilium sandbox received and on the total it computed itself with Contabilium's rounding.
 */
class FiscalInvoicingTest extends SandboxedConnectorTest {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    @Test
    void consumidorFinalWithDniGetsFacturaBWithNetPricesIvaPerProductDiscountsAndShippingToTheCent() {
        Linked link = newLink("RI", Map.of("includeShippingCost", true, "defaultIva", 21), "REM-21");
        link.account().addConcepto("LIB-105", "Libro", new BigDecimal("1105.00"), new BigDecimal("10.5"));
        long orderId = link.store().newOrder()
                .customer("carla@example.com", "Carla Gómez")
                .additionalField("DNI", "31.222.333")
                .line("LIB-105", 2, 1105.00, 110.50)
                .line("REM-21", 3, 999.99)
                .discount(410.50) // 110.50 on the first line + a 300.00 coupon
                .shipping(1500.00)
                .shippingDiscount(500.00)
                .status("paid").create();
        BigDecimal orderTotal = new BigDecimal(link.store().order(orderId).get("total").asText());
        assertThat(orderTotal).isEqualByComparingTo("5799.47");

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        JsonNode row = awaitStatus(link, orderId, "INVOICED");

        SandboxDocument invoice = single(invoicesOf(link, orderId));
        assertThat(invoice.tipoFc()).isEqualTo("FCB");
        assertThat(invoice.importeTotalNeto()).isEqualByComparingTo(orderTotal);
        assertThat(invoice.observaciones()).contains(String.valueOf(orderId));
        assertThat(invoice.items()).extracting(SandboxDocument.Line::codigo)
                .containsExactly("LIB-105", "REM-21", "ENVIO", "ENVIO");
        SandboxDocument.Line book = invoice.items().get(0);
        SandboxDocument.Line remera = invoice.items().get(1);
        SandboxDocument.Line envioAt105 = invoice.items().get(2);
        SandboxDocument.Line envioAt21 = invoice.items().get(3);
        assertThat(book.iva()).isEqualByComparingTo("10.5");
        assertThat(remera.iva()).isEqualByComparingTo("21");
        // Shipping follows the goods' rates, split by their net amounts (1788.23 at 10.5 %, 2333.45 at 21 %).
        assertThat(envioAt105.iva()).isEqualByComparingTo("10.5");
        assertThat(envioAt21.iva()).isEqualByComparingTo("21");
        // Net unit prices: well below the final prices the order shows.
        assertThat(book.precioUnitario()).isLessThan(new BigDecimal("1105.00").divide(new BigDecimal("1.10"), 2, RoundingMode.HALF_UP));
        assertThat(remera.precioUnitario()).isLessThan(new BigDecimal("999.99").divide(new BigDecimal("1.20"), 2, RoundingMode.HALF_UP));
        // The coupon spread in proportion: 300 over 2099.50 and 2999.97 -> 123.51 and 176.49.
        assertThat(finalAmount(book)).isCloseTo(new BigDecimal("1975.99"), within(new BigDecimal("0.02")));
        assertThat(finalAmount(remera)).isCloseTo(new BigDecimal("2823.48"), within(new BigDecimal("0.02")));
        assertThat(finalAmount(envioAt105)).isCloseTo(new BigDecimal("433.86"), within(new BigDecimal("0.02")));
        assertThat(finalAmount(envioAt21)).isCloseTo(new BigDecimal("566.14"), within(new BigDecimal("0.02")));
        assertThat(finalAmount(book).add(finalAmount(remera)).add(finalAmount(envioAt105)).add(finalAmount(envioAt21)))
                .isEqualByComparingTo(orderTotal);

        List<SandboxCustomer> customers = link.account().customers().stream()
                .filter(c -> "31222333".equals(c.nroDoc())).toList();
        assertThat(customers).singleElement().satisfies(c -> {
            assertThat(c.tipoDoc()).isEqualTo("DNI");
            assertThat(c.condicionIva()).isEqualTo("CF");
            assertThat(c.id()).isEqualTo(invoice.idCliente());
        });
        assertThat(row.at("/invoice/total").decimalValue()).isEqualByComparingTo(orderTotal);
        assertThat(row.at("/invoice/numero").asText()).isEqualTo(invoice.numero());
    }

    @Test
    void responsableInscriptoWithValidCuitGetsFacturaAAndTheStoredCustomerIsUpdatedToRi() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "HER-01");
        long stored = link.account().addCustomer("Ferretería Sur", "MO", "CUIT", "20123456786");
        long orderId = link.store().newOrder()
                .customer("compras@ferreteriasur.example.com", "Diego Sur")
                .billingCompany("Ferretería Sur SRL", "")
                .additionalField("CUIT", "20-12345678-6")
                .additionalField("Condición frente al IVA", "Responsable Inscripto")
                .line("HER-01", 4, 1210.00)
                .status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "INVOICED");

        SandboxDocument invoice = single(invoicesOf(link, orderId));
        assertThat(invoice.tipoFc()).isEqualTo("FCA");
        assertThat(invoice.idCliente()).isEqualTo(stored);
        assertThat(invoice.importeTotalNeto()).isEqualByComparingTo("4840.00");
        assertThat(invoice.importeTotalBruto()).isEqualByComparingTo("4000.00");
        assertThat(invoice.items()).singleElement().satisfies(line -> {
            assertThat(line.precioUnitario()).isEqualByComparingTo("1000.00");
            assertThat(line.iva()).isEqualByComparingTo("21");
        });
        assertThat(link.account().customers()).filteredOn(c -> "20123456786".equals(c.nroDoc()))
                .singleElement().satisfies(c -> {
                    assertThat(c.id()).isEqualTo(stored);
                    assertThat(c.condicionIva()).isEqualTo("RI");
                    assertThat(c.tipoDoc()).isEqualTo("CUIT");
                });
        // Registered directly first (issue 15): Contabilium refuses the known CUIT ("ya se encuentra
        // registrado"), so the customer is looked up, reused and updated; no second customer exists.
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CLIENTE_CREATE)).isEqualTo(1);
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CLIENTE_BY_DOC)).isEqualTo(1);
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CLIENTE_UPDATE)).isEqualTo(1);
    }

    @Test
    void exemptAndNotTaxedProductsAreInvoicedAsSuchNotAtZeroPercentAndTheirShippingFollows() {
        Linked link = newLink("RI", Map.of("includeShippingCost", true), "REM-21");
        link.account().addConceptoSinIva("LIB-EX", "Libro", new BigDecimal("5000.00"), "Exento");
        link.account().addConceptoSinIva("SEG-NG", "Seguro de envío", new BigDecimal("300.00"), "No gravado");
        long exemptOnly = link.store().newOrder()
                .customer("lia@example.com", "Lía Soto")
                .additionalField("DNI", "29888777")
                .line("LIB-EX", 1, 5000.00)
                .shipping(800.00)
                .status("paid").create();
        long mixed = link.store().newOrder()
                .customer("lia@example.com", "Lía Soto")
                .additionalField("DNI", "29888777")
                .line("REM-21", 1, 1210.00)
                .line("SEG-NG", 1, 300.00)
                .status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", exemptOnly).statusCode()).isEqualTo(200);
        assertThat(signedWebhook(link.store(), "order_paid", mixed).statusCode()).isEqualTo(200);
        awaitStatus(link, exemptOnly, "INVOICED");
        awaitStatus(link, mixed, "INVOICED");

        SandboxDocument books = single(invoicesOf(link, exemptOnly));
        assertThat(books.items()).extracting(SandboxDocument.Line::codigo).containsExactly("LIB-EX", "ENVIO");
        assertThat(books.items()).extracting(SandboxDocument.Line::exencion).containsExactly("Exento", "Exento");
        assertThat(books.importeTotalNeto()).isEqualByComparingTo("5800.00").isEqualByComparingTo(books.importeTotalBruto());
        SandboxDocument other = single(invoicesOf(link, mixed));
        assertThat(other.items()).extracting(SandboxDocument.Line::exencion).containsExactly(null, "No gravado");
        assertThat(other.importeTotalNeto()).isEqualByComparingTo("1510.00");
    }

    @Test
    void aStoreWhosePricesExcludeTaxGetsInvoicedWhatTheBuyerPaid() {
        Linked link = newLink("RI", Map.of("includeShippingCost", true), "REM-21");
        link.store().excludeTax(new BigDecimal("21"), new BigDecimal("21"));
        long orderId = link.store().newOrder()
                .customer("neto@example.com", "Nélida Toro")
                .additionalField("DNI", "30222111")
                .line("REM-21", 1, 1000.00)
                .shipping(500.00)
                .status("paid").create();
        BigDecimal paid = new BigDecimal(link.store().order(orderId).get("total").asText());
        assertThat(paid).isEqualByComparingTo("1815.00"); // 1000 + 210 tax + 500 + 105 shipping tax

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        JsonNode row = awaitStatus(link, orderId, "INVOICED");

        SandboxDocument invoice = single(invoicesOf(link, orderId));
        assertThat(invoice.importeTotalNeto()).isEqualByComparingTo(paid);
        assertThat(invoice.importeTotalBruto()).isEqualByComparingTo("1500.00");
        assertThat(invoice.items()).extracting(SandboxDocument.Line::precioUnitario)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("1000"), new BigDecimal("500"));
        assertThat(row.at("/invoice/total").decimalValue()).isEqualByComparingTo(paid);
    }

    @Test
    void aTaxExcludedOrderWhoseTaxDoesNotAddUpParksWithBothAmounts() throws Exception {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-21");
        link.store().excludeTax(new BigDecimal("21"), BigDecimal.ZERO);
        long orderId = link.store().newOrder().additionalField("DNI", "30222112").line("REM-21", 1, 1000.00)
                .status("paid").create();
        com.fasterxml.jackson.databind.node.ObjectNode order = link.store().order(orderId);
        order.put("tax", "105.00");
        order.put("total", "1105.00");
        byte[] body = mapper.writeValueAsBytes(Map.of("order", order));

        assertThat(webhook("order_paid", link.store().code(), body, link.store().sign(body)).statusCode()).isEqualTo(200);

        assertThat(awaitStatus(link, orderId, "PARKED").get("reason").asText())
                .startsWith("El impuesto del pedido ($ 105,00) no coincide con el que resulta de sus productos y sus "
                        + "alícuotas ($ 210,00)");
        assertThat(link.account().documents()).isEmpty();
    }

    @Test
    void aCompanyThatGivesOnlyItsCuitGetsFacturaAAndIsStoredAsInscripto() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "HER-01");
        long orderId = link.store().newOrder()
                .customer("compras@acme.example.com", "Compras Acme")
                .billingCompany("Acme SA", "")
                .additionalField("CUIT", "30-71234567-1")
                .line("HER-01", 1, 1210.00)
                .status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "INVOICED");

        assertThat(single(invoicesOf(link, orderId)).tipoFc()).isEqualTo("FCA");
        assertThat(link.account().customers()).filteredOn(c -> "30712345671".equals(c.nroDoc()))
                .singleElement().satisfies(c -> {
                    assertThat(c.condicionIva()).isEqualTo("RI");
                    assertThat(c.tipoDoc()).isEqualTo("CUIT");
                });
    }

    @Test
    void aPhoneNumberInACheckoutFieldIsNoDocument() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "HER-01");
        long orderId = link.store().newOrder()
                .customer("tel@example.com", "Teo Lara")
                .additionalField("Nro. de teléfono", "4555-1234")
                .line("HER-01", 1, 1210.00)
                .status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "INVOICED");

        assertThat(link.account().customers()).noneMatch(c -> "45551234".equals(c.nroDoc()));
        assertThat(link.account().customers()).singleElement()
                .satisfies(c -> assertThat(c.nroDoc()).isEqualTo("99999999"));
    }

    @Test
    void monotributoSellerIssuesFacturaCAtFinalPricesWithoutIva() {
        Linked link = newLink("MO", Map.of("includeShippingCost", true), "TAZ-02");
        link.account().addConcepto("LIB-105", "Libro", new BigDecimal("1105.00"), new BigDecimal("10.5"));
        long orderId = link.store().newOrder()
                .customer("eva@example.com", "Eva Ruiz")
                .additionalField("DNI", "27444555")
                .line("TAZ-02", 2, 850.25, 50.25)
                .line("LIB-105", 1, 1105.00)
                .discount(150.25)
                .shipping(700.00)
                .status("paid").create();
        BigDecimal orderTotal = new BigDecimal(link.store().order(orderId).get("total").asText());

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "INVOICED");

        SandboxDocument invoice = single(invoicesOf(link, orderId));
        assertThat(invoice.tipoFc()).isEqualTo("FCC");
        assertThat(invoice.items()).allSatisfy(line -> assertThat(line.iva()).isEqualByComparingTo("0"));
        assertThat(invoice.items()).extracting(SandboxDocument.Line::codigo).containsExactly("TAZ-02", "LIB-105", "ENVIO");
        assertThat(invoice.importeTotalNeto()).isEqualByComparingTo(orderTotal).isEqualByComparingTo("3355.25");
        assertThat(invoice.importeTotalBruto()).isEqualByComparingTo(orderTotal);
    }

    @Test
    void withShippingExcludedTheInvoiceHasNoShippingLineAndTheOrderIsNotParked() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long orderId = link.store().newOrder()
                .customer("fede@example.com", "Federico Luna")
                .additionalField("DNI", "33444555")
                .line("REM-01", 2, 1210.00)
                .discount(120.00)
                .shipping(1500.00)
                .status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "INVOICED");

        SandboxDocument invoice = single(invoicesOf(link, orderId));
        assertThat(invoice.items()).extracting(SandboxDocument.Line::codigo).containsExactly("REM-01");
        assertThat(invoice.importeTotalNeto()).isEqualByComparingTo("2300.00"); // 2420 - 120, shipping left out
    }

    /** The line's amount as Contabilium computes it: neto and IVA each rounded to the cent. */
    private static BigDecimal finalAmount(SandboxDocument.Line line) {
        BigDecimal factor = BigDecimal.ONE.subtract(line.bonificacion().divide(HUNDRED));
        BigDecimal neto = line.precioUnitario().multiply(line.cantidad()).multiply(factor).setScale(2, RoundingMode.HALF_UP);
        return neto.add(neto.multiply(line.iva()).divide(HUNDRED).setScale(2, RoundingMode.HALF_UP));
    }

    private static SandboxDocument single(List<SandboxDocument> invoices) {
        assertThat(invoices).hasSize(1);
        return invoices.get(0);
    }
}
