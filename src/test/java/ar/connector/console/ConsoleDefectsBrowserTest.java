package ar.connector.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.sandbox.contabilium.SandboxDocument;
import ar.connector.support.TestMail;
import jakarta.mail.internet.MimeMessage;

/**
 * What a new merchant stumbled on in the console, each fixed and shown in Chromium at a laptop's
 * and a phone's width (target/screenshots/defect-*.png).
 */
class ConsoleDefectsBrowserTest extends ConsoleBrowser {

    @Autowired
    CamelContext camel;

    // ---- defects 2 and 7: feedback after resend and credit note; the credit note's e-mail ----

    @Test
    void resendAndCreditNoteSayHowTheyEndedAndTheCreditNoteMailFitsAPaidOrder() throws Exception {
        Linked link = newLink("RI", Map.of("emailReceipts", true, "includeShippingCost", false), "REM-01");
        String buyer = "aviso-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        long orderId = invoicedWithReceipt(link, buyer);

        driver.get(url("/console/stores/" + link.linkId() + "/orders"));
        driver.findElement(By.id("resend-" + orderId)).click();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> driver.getCurrentUrl().contains("resultado="));
        assertThat(text(By.cssSelector(".notice"))).isEqualTo("Comprobante del pedido #" + orderId + " reenviado a " + buyer + ".");
        shots("defect-7-resend-done", By.cssSelector(".notice"));

        driver.findElement(By.id("credit-note-" + orderId)).click();
        driver.switchTo().alert().accept();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> driver.getCurrentUrl().contains("accion=nota")
                        && text(By.cssSelector(".notice")).startsWith("Nota de crédito"));
        SandboxDocument note = link.account().issuedCreditNotes().get(0);
        assertThat(text(By.cssSelector(".notice"))).isEqualTo("Nota de crédito NCB " + note.numero()
                + " emitida: anula la factura del pedido #" + orderId + ".");
        assertThat(rowStatus(orderId)).isEqualTo("Anulado con nota de crédito");
        shots("defect-7-credit-note-done", By.cssSelector(".notice"));

        // The order is paid, not canceled: the buyer's e-mail must not say it was canceled.
        await().atMost(Duration.ofSeconds(20)).until(() -> TestMail.to(buyer).size() == 3);
        MimeMessage creditMail = TestMail.to(buyer).get(2);
        String body = ar.connector.receipts.Mails.text(creditMail);
        assertThat(creditMail.getSubject()).contains("Nota de crédito B", note.numero(), "#" + orderId)
                .doesNotContainIgnoringCase("cancelado");
        assertThat(body).contains("anula la factura de su pedido #" + orderId).doesNotContainIgnoringCase("cancelado");
    }

    @Test
    void aRunBannerUsesDayMonthYearAndAnInvertedRangeKeepsTheTypedDates() {
        Linked link = newLink("RI", Map.of("autoInvoice", false, "includeShippingCost", false), "REM-01");
        LocalDate day = LocalDate.of(2024, 5, 10);
        paidOrder(link, "REM-01", "Dora Paz", day.atTime(12, 0).atOffset(ZoneOffset.ofHours(-3)));

        driver.get(url("/console/stores/" + link.linkId() + "/orders"));
        setDate("desde", day.plusDays(2));
        setDate("hasta", day.minusDays(2));
        // The browser itself refuses it once "Desde" is chosen (the field's minimum follows it) ...
        assertThat(driver.findElement(By.id("hasta")).getAttribute("min")).isEqualTo(day.plusDays(2).toString());
        // ... and a form sent anyway comes back with both dates still typed and the reason.
        script("document.getElementById('range-form').noValidate = true");
        submitWith("invoice-range");
        assertThat(text(By.cssSelector(".problem"))).contains("«Hasta» (08/05/2024) es anterior a «Desde» (12/05/2024)");
        assertThat(driver.findElement(By.id("desde")).getAttribute("value")).isEqualTo("2024-05-12");
        assertThat(driver.findElement(By.id("hasta")).getAttribute("value")).isEqualTo("2024-05-08");
        shots("defect-7-inverted-range", By.id("range-form"));

        setDate("desde", day.minusDays(1));
        setDate("hasta", day.plusDays(1));
        submitWith("invoice-range");
        assertThat(text(By.cssSelector(".notice"))).isEqualTo("Facturando los pedidos pagados del 09/05/2024 al 11/05/2024.");
        assertThat(text(By.id("run-period"))).contains("09/05/2024 al 11/05/2024");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "Terminado".equals(text(By.id("run-state"))));
        shots("defect-7-run-dates", By.id("run"));
    }

    // ---- defect 6: re-running a period ----

    @Test
    void reRunningAPeriodCountsOrdersAlreadyInvoicedApart() {
        Linked link = newLink("RI", Map.of("autoInvoice", false, "includeShippingCost", false), "REM-01");
        LocalDate day = LocalDate.of(2024, 6, 3);
        OffsetDateTime noon = day.atTime(12, 0).atOffset(ZoneOffset.ofHours(-3));
        paidOrder(link, "REM-01", "Ema Luz", noon);
        paidOrder(link, "REM-01", "Fito Paez", noon.plusHours(1));

        driver.get(url("/console/stores/" + link.linkId() + "/orders"));
        runRange(day);
        assertThat(text(By.id("run-invoiced"))).isEqualTo("2");
        assertThat(driver.findElement(By.id("run-already-item")).isDisplayed()).isFalse();
        assertThat(link.account().issuedInvoices()).hasSize(2);

        runRange(day);
        assertThat(text(By.id("run-invoiced"))).isEqualTo("0");
        assertThat(text(By.id("run-already"))).isEqualTo("2");
        assertThat(text(By.id("run-already-item"))).isEqualTo("Ya facturados antes: 2");
        assertThat(link.account().issuedInvoices()).as("nothing invoiced twice").hasSize(2);
        shots("defect-6-already-invoiced", By.id("run"));
    }

    private void runRange(LocalDate day) {
        setDate("desde", day);
        setDate("hasta", day);
        submitWith("invoice-range");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "Terminado".equals(text(By.id("run-state"))));
    }

    // ---- defect 3: the orders table fits ----

    @Test
    void theOrdersTableFitsTheScreenAt1366And1920() {
        Linked link = newLink("RI", Map.of("autoInvoice", true, "includeShippingCost", false, "emailReceipts", true),
                "REM-01");
        long invoiced = invoicedOrder(link, "REM-01", "Gabriela Fernández de la Colina");
        long parked = paidOrder(link, "SIN-PRODUCTO-EN-CONTABILIUM", "Horacio Quiroga", null);
        assertThat(signedWebhook(link.store(), "order_paid", parked).statusCode()).isEqualTo(200);
        awaitStatus(link, parked, "PARKED");

        driver.get(url("/console/stores/" + link.linkId() + "/orders"));
        for (var size : List.of(LAPTOP, WIDE)) {
            driver.manage().window().setSize(size);
            driver.navigate().refresh();
            assertThat(driver.findElement(By.id("credit-note-" + invoiced)).isDisplayed()).isTrue();
            // Nothing sticks out of the page's column, and no button's text is cut.
            Object overflow = script("""
                    const main = document.querySelector('main').getBoundingClientRect();
                    const out = [];
                    const table = document.querySelector('table.orders').getBoundingClientRect();
                    if (table.right > main.right + 1) out.push('table ' + table.right + ' > ' + main.right);
                    document.querySelectorAll('table.orders button, table.orders .badge').forEach(b => {
                      const r = b.getBoundingClientRect();
                      if (r.right > table.right + 1) out.push(b.textContent.trim() + ' right ' + r.right);
                      if (b.scrollWidth > b.clientWidth + 1) out.push(b.textContent.trim() + ' cut');
                    });
                    const toolbar = document.querySelector('.toolbar').getBoundingClientRect();
                    if (table.right > toolbar.right + 1) out.push('table past the toolbar');
                    return out;""");
            assertThat((List<?>) overflow).as("at " + size.width + " px").isEmpty();
            shot("defect-3-orders-" + size.width);
        }
        driver.manage().window().setSize(LAPTOP);
        phoneShot("defect-3-orders-phone", By.id("order-" + invoiced));
    }

    // ---- defect 4: Spanish error pages ----

    @Test
    void consolePagesAnswerErrorsWithSpanishPagesNotJson() {
        driver.get(url("/console/stores/987654/orders"));
        assertThat(driver.findElement(By.id("error-page")).getAttribute("data-status")).isEqualTo("404");
        assertThat(text(By.tagName("h1"))).isEqualTo("No encontramos esta página");
        assertThat(driver.getPageSource()).doesNotContain("\"title\"").doesNotContain("Not Found");
        shots("defect-4-unknown-store");

        // "Ver PDF" when Contabilium no longer answers for the document.
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long orderId = invoicedOrder(link, "REM-01", "Ines Arce");
        CONTABILIUM.setDown(true);
        try {
            driver.get(url("/console/stores/" + link.linkId() + "/orders/" + orderId + "/pdf"));
            assertThat(driver.findElement(By.id("error-page")).getAttribute("data-status")).isEqualTo("503");
            assertThat(text(By.id("error-message"))).contains("No se pudo obtener el PDF de Contabilium");
            assertThat(driver.getPageSource()).doesNotContain("Service Unavailable").doesNotContain("\"detail\"");
            shots("defect-4-pdf-unavailable");
        } finally {
            CONTABILIUM.setDown(false);
        }
    }

    // ---- defect 5: the connect form ----

    @Test
    void anEmptyConnectFormSaysEachProblemOnceAndLeavesTheOptionalNameAlone() {
        driver.get(url("/console/stores/new"));
        submitWith("save-store");
        String storeCodeError = text(By.id("error-jumpseller.storeCode"));
        assertThat(storeCodeError).isEqualTo("Ingrese el código de la tienda (letras, números, '-' y '_').");
        assertThat(absent(By.id("error-name"))).as("the optional name is not flagged").isTrue();
        assertThat(driver.findElement(By.id("name")).getAttribute("class")).doesNotContain("invalid");
        shots("defect-5-empty-form", By.id("jumpseller.storeCode"));
    }

    // ---- defect 8: a stopped invoicing route ----

    @Test
    void aStoppedInvoicingRouteIsShownInsteadOfAutomaticInvoicing() throws Exception {
        Linked link = newLink("RI", Map.of("autoInvoice", true), "REM-01");
        camel.getRouteController().stopRoute("order-invoicing");
        try {
            driver.get(url("/console/stores"));
            WebElement row = driver.findElement(By.cssSelector("tr[data-store='" + link.store().code() + "']"));
            assertThat(row.getText()).contains("Facturación automática detenida");
            assertThat(text(By.cssSelector(".flow-warning"))).contains("La facturación está detenida", "order-invoicing");
            shots("defect-8-invoicing-stopped");
            driver.get(url("/console/stores/" + link.linkId() + "/orders"));
            assertThat(text(By.cssSelector(".flow-warning"))).contains("La facturación está detenida");
        } finally {
            camel.getRouteController().startRoute("order-invoicing");
        }
        driver.get(url("/console/stores"));
        assertThat(absent(By.cssSelector(".flow-warning"))).isTrue();
        assertThat(driver.findElement(By.cssSelector("tr[data-store='" + link.store().code() + "']")).getText())
                .contains("Facturación automática").doesNotContain("detenida");
    }

    // ---- defect 9: automatic credit notes, PDF names, the sync page's names and changed SKUs ----

    @Test
    void theSettingsFormTurnsAutomaticCreditNotesOff() {
        Linked link = newLink("RI", Map.of(), "REM-01");
        driver.get(url("/console/stores/" + link.linkId() + "/edit"));
        WebElement box = driver.findElement(By.id("settings.autoCreditNote"));
        assertThat(box.isSelected()).isTrue();
        box.click();
        shots("defect-9-auto-credit-note", By.id("settings.autoCreditNote"));
        submitWith("save-store");
        assertThat(text(By.cssSelector(".notice"))).isEqualTo("Cambios guardados.");
        assertThat(json(admin("GET", "/api/links/" + link.linkId(), null).body()).at("/settings/autoCreditNote").asBoolean())
                .isFalse();
    }

    @Test
    void invoiceAndCreditNotePdfsAreNamedWithTheirLetter() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long orderId = invoicedOrder(link, "REM-01", "Juana Molina");
        assertThat(admin("POST", "/api/links/" + link.linkId() + "/orders/" + orderId + "/credit-note", null).statusCode())
                .isEqualTo(202);
        awaitStatus(link, orderId, "CREDITED");
        JsonNode row = orderRow(link, orderId);

        driver.get(url("/console/stores/" + link.linkId() + "/orders"));
        String invoiceName = contentDisposition(driver.findElement(By.id("pdf-" + orderId)).getAttribute("href"));
        String noteName = contentDisposition(driver.findElement(By.cssSelector("#credit-" + orderId + " a")).getAttribute("href"));
        assertThat(invoiceName).isEqualTo("inline; filename=\"Factura-B-" + row.at("/invoice/numero").asText() + ".pdf\"");
        assertThat(noteName).isEqualTo("inline; filename=\"NotaDeCredito-B-" + row.at("/creditNote/numero").asText() + ".pdf\"");
        shots("defect-9-pdf-links", By.id("order-" + orderId));
    }

    /** The Content-Disposition the browser gets for a link, read with the page's own session. */
    private String contentDisposition(String href) {
        return (String) ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => done(r.headers.get('content-disposition')));",
                href);
    }

    @Test
    void theSyncPageNamesTheWarehouseAndPriceListAndListsWhichSkusChanged() {
        Linked link = newLink("RI", Map.of("autoInvoice", false), "MATE-01", "TERMO-2");
        link.account().addDeposito(4, "Depósito Norte");
        link.account().addPriceList(2, "Mayorista");
        assertThat(admin("PATCH", "/api/links/" + link.linkId(), Map.of("settings", Map.of("depositoId", 4,
                "listaDePreciosId", 2))).statusCode()).isEqualTo(200);
        link.account().setStock(4, "MATE-01", 9, 2); // sellable 7
        link.account().setStock(4, "TERMO-2", 4, 0);
        link.store().addProduct("Mate", "MATE-01", new BigDecimal("1210.00"), 3);
        link.store().addProduct("Termo", "TERMO-2", new BigDecimal("5000.00"), 4); // already right

        driver.get(url("/console/stores/" + link.linkId() + "/sync"));
        assertThat(text(By.id("warehouse-name"))).isEqualTo("la bodega «Depósito Norte»");
        assertThat(text(By.id("price-list-name"))).isEqualTo("«Mayorista»");
        driver.findElement(By.id("sync-stock")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().contains("run="));
        String runId = driver.getCurrentUrl().replaceAll(".*[?&]run=([^&]+).*", "$1");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                "DONE".equals(driver.findElement(By.id("run-" + runId)).getAttribute("data-state")));
        WebElement report = driver.findElement(By.id("run-" + runId));
        report.findElement(By.cssSelector(".changed-skus summary")).click();
        assertThat(report.findElement(By.cssSelector(".changed-skus")).getText()).contains("1 SKU", "MATE-01 → 7")
                .doesNotContain("TERMO-2");
        assertThat(json(admin("GET", "/api/sync-runs/" + runId, null).body()).at("/changedSkus/items/0/sku").asText())
                .isEqualTo("MATE-01");
        shots("defect-9-sync-names", By.id("run-" + runId));
    }

    // ---- hardening: paging out of range, search texts in redirects, secrets in the form ----

    @Test
    void aPageNumberBeyondTheLogShowsAnExistingPageWithAFriendlyMessage() {
        Linked link = newLink("RI", Map.of("autoInvoice", false), "REM-01");
        long orderId = paidOrder(link, "REM-01", "Karina Lis", null);
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "PENDING");

        for (String pagina : List.of("85899346", "2147483647", "-3", "abc", "7")) {
            driver.get(url("/console/stores/" + link.linkId() + "/orders?pagina=" + pagina));
            assertThat(text(By.cssSelector(".problem"))).as(pagina).isEqualTo("La página pedida no existe: se muestra la primera.");
            assertThat(driver.findElement(By.id("order-" + orderId)).isDisplayed()).isTrue();
        }
        shots("hardening-page-out-of-range");
    }

    @Test
    void aSearchTextThatLooksLikeAUriTemplateSurvivesAnAction() {
        Linked link = newLink("RI", Map.of("autoInvoice", false), "REM-01");
        long orderId = link.store().newOrder().customer("llaves@example.com", "Lola {x} Mora").additionalField("DNI", "30123456")
                .line("REM-01", 1, 1210.00).status("paid").create();
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "PENDING");

        driver.get(url("/console/stores/" + link.linkId() + "/orders"));
        type("q", "{x}");
        submitWith(By.cssSelector("#filters button[type=submit]"));
        driver.findElement(By.id("skip-" + orderId)).click();
        driver.switchTo().alert().accept();
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .until(() -> text(By.cssSelector(".notice")).equals("Pedido #" + orderId + " omitido: no se facturará aquí."));
        assertThat(driver.getCurrentUrl()).contains("q=%7Bx%7D");
        assertThat(driver.findElement(By.id("q")).getAttribute("value")).isEqualTo("{x}");
        assertThat(rowStatus(orderId)).isEqualTo("Omitido");
        shots("hardening-template-search");
    }

    @Test
    void secretsTypedIntoTheFormAreNeverWrittenBackIntoThePage() {
        Fresh fresh = fresh();
        driver.get(url("/console/stores/new"));
        type("contabilium.clientId", fresh.account().email());
        type("contabilium.clientSecret", fresh.account().apiKey());
        type("jumpseller.storeCode", fresh.store().code());
        type("jumpseller.login", fresh.login());
        type("jumpseller.authToken", "not-the-token");
        submitWith("load-options");
        assertSecretsAbsent(fresh.account().apiKey(), "not-the-token");
        assertThat(text(By.id("held-contabilium.clientSecret"))).startsWith("Ya la escribió");

        // A save Jumpseller refuses: the page comes back without either secret.
        submitWith("save-store");
        assertThat(text(By.id("error-jumpseller.authToken"))).contains("Jumpseller rechazó");
        assertSecretsAbsent(fresh.account().apiKey(), "not-the-token");
        shots("hardening-no-secrets-in-form", By.id("jumpseller.authToken"));

        // Only the wrong token is typed again: the key typed at first is still used, never shown.
        type("jumpseller.authToken", fresh.token());
        submitWith("save-store");
        await().atMost(Duration.ofSeconds(15)).until(() -> driver.getCurrentUrl().endsWith("/console/stores"));
        assertThat(activeLinks()).anyMatch(l -> l.at("/jumpseller/storeCode").asText().equals(fresh.store().code()));
    }

    private void assertSecretsAbsent(String... secrets) {
        String page = driver.getPageSource();
        for (String secret : secrets) {
            assertThat(page).doesNotContain(secret);
        }
        for (String field : List.of("contabilium.clientSecret", "jumpseller.authToken")) {
            assertThat(driver.findElement(By.id(field)).getAttribute("value")).as(field).isEmpty();
        }
    }
}
