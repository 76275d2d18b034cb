package ar.connector.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The merchant's month in the console: the offer to invoice earlier orders after connecting, the
 * Resumen, and the Conciliación with its progress bar and an action on a difference.
 */
class MerchantMonthBrowserTest extends ConsoleBrowser {

    private static final ZoneId BUENOS_AIRES = ZoneId.of("America/Argentina/Buenos_Aires");

    @Test
    void connectingAStoreWhoseOrdersPredateItOffersToInvoiceThem() {
        Fresh fresh = fresh();
        fresh.account().addConcepto("REM-01", "Remera", new java.math.BigDecimal("1210.00"), new java.math.BigDecimal("21"));
        // Sold before the store was connected: the connector leaves these alone unless asked.
        long earlier = fresh.store().newOrder().customer("previo@example.com", "Pía Previa").additionalField("DNI", "30123456")
                .line("REM-01", 1, 1210.00).status("paid").create();

        driver.get(url("/console/stores/new"));
        type("contabilium.clientId", fresh.account().email());
        type("contabilium.clientSecret", fresh.account().apiKey());
        submitWith("load-options");
        type("jumpseller.storeCode", fresh.store().code());
        type("jumpseller.login", fresh.login());
        type("jumpseller.authToken", fresh.token());
        submitWith("save-store");
        await().atMost(Duration.ofSeconds(15)).until(() -> driver.getCurrentUrl().endsWith("/console/stores"));

        long linkId = activeLinks().stream().filter(l -> l.at("/jumpseller/storeCode").asText().equals(fresh.store().code()))
                .findFirst().orElseThrow().get("id").asLong();
        LocalDate today = LocalDate.now(BUENOS_AIRES);
        WebElement offer = driver.findElement(By.id("first-run"));
        assertThat(offer.getText()).contains("¿Facturar pedidos anteriores?");
        assertThat(driver.findElement(By.id("first-run-desde-" + linkId)).getAttribute("value"))
                .isEqualTo(today.withDayOfMonth(1).toString());
        assertThat(driver.findElement(By.id("first-run-hasta-" + linkId)).getAttribute("value")).isEqualTo(today.toString());
        shots("month-first-run-offer", By.id("first-run"));

        // The same offer waits on the store's empty order list.
        driver.get(url("/console/stores/" + linkId + "/orders"));
        assertThat(driver.findElement(By.id("first-run")).isDisplayed()).isTrue();
        submitWith("first-run-" + linkId);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "Terminado".equals(text(By.id("run-state"))));
        assertThat(text(By.id("run-invoiced"))).isEqualTo("1");
        assertThat(rowStatus(earlier)).isEqualTo("Facturado");
        assertThat(absent(By.id("first-run"))).as("no offer once the log has orders").isTrue();
        shots("month-first-run-done", By.id("run"));
    }

    @Test
    void theSummaryShowsTodayAndTheMonthByDocumentTypeWithNetAndIva() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false, "autoCreditNote", true), "REM-01");
        long consumer = invoicedOrder(link, "REM-01", "Quique Final"); // Factura B 1210 = 1000 + 210
        long company = link.store().newOrder().customer("compras@sur.example.com", "Almacén del Sur SRL")
                .taxid("30712345671").billingCompany("Almacén del Sur SRL", "Responsable Inscripto")
                .additionalField("Condición frente al IVA", "Responsable Inscripto")
                .line("REM-01", 2, 1210.00).status("paid").create(); // Factura A 2420 = 2000 + 420
        assertThat(signedWebhook(link.store(), "order_paid", company).statusCode()).isEqualTo(200);
        awaitStatus(link, company, "INVOICED");
        long canceled = invoicedOrder(link, "REM-01", "Rita Cancela");
        link.store().setOrderStatus(canceled, "canceled");
        assertThat(signedWebhook(link.store(), "order_canceled", canceled).statusCode()).isEqualTo(200);
        awaitStatus(link, canceled, "CREDITED");
        long parked = paidOrder(link, "NO-EXISTE", "Sara Espera", null);
        assertThat(signedWebhook(link.store(), "order_paid", parked).statusCode()).isEqualTo(200);
        awaitStatus(link, parked, "PARKED");

        driver.get(url("/console/stores/" + link.linkId() + "/orders"));
        driver.findElement(By.id("tab-summary")).click();
        WebElement today = driver.findElement(By.id("today"));
        assertThat(row(today, "FCA")).containsExactly("Factura A", "1", "$ 2.000,00", "$ 420,00", "$ 2.420,00");
        assertThat(row(today, "FCB")).containsExactly("Factura B", "2", "$ 2.000,00", "$ 420,00", "$ 2.420,00");
        assertThat(row(today, "NCB")).containsExactly("Nota de crédito B", "1", "$ 1.000,00", "$ 210,00", "$ 1.210,00");
        assertThat(row(today, "balance")).containsExactly("Facturado menos notas de crédito", "4", "$ 3.000,00", "$ 630,00",
                "$ 3.630,00");
        assertThat(row(driver.findElement(By.id("month")), "FCA")).containsExactly("Factura A", "1", "$ 2.000,00",
                "$ 420,00", "$ 2.420,00");
        assertThat(text(By.id("attention-parked"))).isEqualTo("1 pedido requiere atención");
        assertThat(absent(By.id("amounts-unavailable"))).isTrue();
        shots("month-summary", By.id("today"));

        // The month's downloads, fetched with the console's own session.
        assertThat(fetch(driver.findElement(By.id("download-csv")).getAttribute("href")))
                .startsWith("200 text/csv").contains("pedido,fecha_pedido", String.valueOf(consumer), String.valueOf(parked));
        assertThat(fetch(driver.findElement(By.id("download-zip")).getAttribute("href"))).startsWith("200 application/zip");
        assertThat(fetch(driver.findElement(By.id("download-xlsx")).getAttribute("href")))
                .startsWith("200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        driver.findElement(By.id("attention-parked")).click();
        assertThat(driver.findElement(By.id("order-" + parked)).isDisplayed()).isTrue();
        assertThat(absent(By.id("order-" + consumer))).isTrue();
    }

    @Test
    void theReconciliationPageFollowsItsRunAndActsOnADifference() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false, "autoInvoice", false), "REM-01");
        long notInvoiced = paidOrder(link, "REM-01", "Tito Sinfactura", null);

        driver.get(url("/console/stores/" + link.linkId() + "/orders"));
        driver.findElement(By.id("tab-reconciliation")).click();
        assertThat(text(By.id("no-reconciliation"))).contains("todavía no se concilió");
        assertThat(driver.findElement(By.id("mes")).getAttribute("value")).isEqualTo(YearMonth.now(BUENOS_AIRES).toString());
        CONTABILIUM.setLatency(Duration.ofMillis(400));
        try {
            submitWith("reconcile");
            assertThat(driver.findElement(By.cssSelector("#reconciliation .progress")).isDisplayed()).isTrue();
            assertThat(text(By.id("reconciliation-step"))).isNotBlank();
            shots("month-reconciliation-progress", By.id("reconciliation"));
        } finally {
            CONTABILIUM.setLatency(Duration.ZERO);
        }
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> "100 %".equals(text(By.id("reconciliation-percent"))) && !absent(By.cssSelector("table.differences")));
        WebElement difference = driver.findElement(By.cssSelector("tr[data-kind='ORDER_WITHOUT_INVOICE'][data-order='" + notInvoiced + "']"));
        assertThat(difference.getText()).contains("Pedido pagado sin factura", "#" + notInvoiced, "no lo registró");
        assertThat(driver.findElement(By.id("download-reconciliation")).getAttribute("href")).endsWith("/diferencias.csv");
        shots("month-reconciliation-differences", By.cssSelector("table.differences"));

        // "Facturar" invoices the order from the reconciliation itself.
        submitWith("act-" + notInvoiced);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "Terminado".equals(text(By.id("run-state"))));
        assertThat(rowStatus(notInvoiced)).isEqualTo("Facturado");

        // Reconciled again: nothing left.
        driver.findElement(By.id("tab-reconciliation")).click();
        submitWith("reconcile");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> !absent(By.id("reconciled")));
        shots("month-reconciliation-clean", By.id("reconciliation"));
    }

    /** "status content-type body" of a GET made by the page itself (its session cookie, its origin). */
    private String fetch(String href) {
        return (String) ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text().then(t =>"
                        + " done(r.status + ' ' + r.headers.get('content-type') + ' ' + t.substring(0, 2000))));", href);
    }

    /** The texts of the summary row of one document type ("FCA", ..., or "balance"). */
    private static java.util.List<String> row(WebElement period, String tipo) {
        return period.findElements(By.cssSelector("tr[data-tipo='" + tipo + "'] td")).stream().map(WebElement::getText).toList();
    }
}
