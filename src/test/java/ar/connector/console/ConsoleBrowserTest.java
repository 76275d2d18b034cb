package ar.connector.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.support.TestMail;

/**
 * The merchant console in a real headless Chromium (Debian's chromium + chromium-driver) against
 * the running connector and both sandboxes: what a merchant clicks, what the screen then shows.
 * Screenshots of every page, at a laptop's and a phone's width, are kept under target/screenshots.
 */
class ConsoleBrowserTest extends ConsoleBrowser {

    @Test
    void anonymousAccessToTheConsoleIsRefused() throws Exception {
        HttpClient anonymous = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        for (String path : List.of("/console", "/console/stores", "/console/stores/new", "/console/stores/1/orders")) {
            HttpResponse<String> answer = anonymous.send(HttpRequest.newBuilder(URI.create(url(path))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path).isEqualTo(302);
            assertThat(answer.headers().firstValue("Location").orElse("")).as(path).endsWith("/console/login");
        }
        int linksBefore = activeLinks().size();
        HttpResponse<String> post = anonymous.send(HttpRequest.newBuilder(URI.create(url("/console/stores/new")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("accion=guardar&jumpseller.storeCode=anon")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isIn(302, 401, 403);
        assertThat(activeLinks()).hasSize(linksBefore);

        // The console's session does not open the admin API, which takes no CSRF token.
        driver.get(url("/console/stores"));
        String session = driver.manage().getCookieNamed("JSESSIONID").getValue();
        HttpResponse<String> withSession = anonymous.send(HttpRequest.newBuilder(URI.create(url("/api/links")))
                .header("Cookie", "JSESSIONID=" + session).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withSession.statusCode()).isEqualTo(401);
        HttpResponse<String> console = anonymous.send(HttpRequest.newBuilder(URI.create(url("/console/stores")))
                .header("Cookie", "JSESSIONID=" + session).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(console.statusCode()).isEqualTo(200);
    }

    @Test
    void connectsAStoreThroughTheFormWithDropDownsFilledFromContabilium() {
        Fresh fresh = fresh();
        fresh.account().addPuntoDeVenta(2, 4, "Local Centro");
        fresh.account().addDeposito(2, "Depósito Norte");
        fresh.account().addPriceList(1, "Mayorista");

        driver.get(url("/console/stores"));
        submitWith("connect-store");
        type("contabilium.clientId", fresh.account().email());
        type("contabilium.clientSecret", fresh.account().apiKey());
        submitWith("load-options");

        assertThat(driver.findElement(By.id("options-loaded")).isDisplayed()).isTrue();
        assertThat(optionTexts("settings.puntoDeVentaId")).containsExactly("00003 – Web", "00004 – Local Centro");
        assertThat(optionTexts("settings.depositoId"))
                .containsExactly("Todas (suma de todas las bodegas)", "Principal", "Depósito Norte");
        assertThat(optionTexts("settings.condicionDeVenta")).containsExactly("Contado", "MercadoPago");
        assertThat(optionTexts("settings.listaDePreciosId")).containsExactly("Ninguna (no sincronizar precios)", "Mayorista");
        assertThat(optionTexts("settings.defaultIva")).containsExactly("21 %", "10,5 %", "27 %", "5 %", "2,5 %", "0 %");

        new Select(driver.findElement(By.id("settings.puntoDeVentaId"))).selectByVisibleText("00004 – Local Centro");
        new Select(driver.findElement(By.id("settings.depositoId"))).selectByVisibleText("Depósito Norte");
        new Select(driver.findElement(By.id("settings.condicionDeVenta"))).selectByVisibleText("MercadoPago");
        new Select(driver.findElement(By.id("settings.listaDePreciosId"))).selectByVisibleText("Mayorista");
        new Select(driver.findElement(By.id("settings.defaultIva"))).selectByVisibleText("10,5 %");
        driver.findElement(By.id("settings.autoInvoice")).click(); // off
        type("settings.alertEmail", "alertas@example.com");
        type("jumpseller.storeCode", fresh.store().code());
        type("jumpseller.login", fresh.login());
        type("jumpseller.authToken", fresh.token());
        type("name", "Mi tienda de prueba");
        // the key field of a password input is not sent back in the page: type it again as a person would
        retypeSecret(fresh.account().apiKey());
        shot("connect-store-form");
        submitWith("save-store");

        await().atMost(Duration.ofSeconds(15)).until(() -> driver.getCurrentUrl().endsWith("/console/stores"));
        assertThat(driver.findElement(By.cssSelector(".notice")).getText()).contains("Mi tienda de prueba");
        WebElement row = driver.findElement(By.cssSelector("tr[data-store='" + fresh.store().code() + "']"));
        assertThat(row.getText()).contains("Mi tienda de prueba", "Credenciales válidas", "Facturación manual");
        shot("stores");

        JsonNode link = activeLinks().stream()
                .filter(l -> l.at("/jumpseller/storeCode").asText().equals(fresh.store().code())).findFirst().orElseThrow();
        JsonNode settings = link.get("settings");
        assertThat(settings.get("puntoDeVentaId").asLong()).isEqualTo(2);
        assertThat(settings.get("depositoId").asLong()).isEqualTo(2);
        assertThat(settings.get("condicionDeVenta").asText()).isEqualTo("MercadoPago");
        assertThat(settings.get("listaDePreciosId").asLong()).isEqualTo(1);
        assertThat(settings.get("defaultIva").decimalValue()).isEqualByComparingTo("10.5");
        assertThat(settings.get("autoInvoice").asBoolean()).isFalse();
        assertThat(settings.get("alertEmail").asText()).isEqualTo("alertas@example.com");

        // Edit: the drop-downs come back filled from the account with the saved choices selected.
        driver.findElement(By.cssSelector("tr[data-store='" + fresh.store().code() + "'] a[href$='/edit']")).click();
        assertThat(new Select(driver.findElement(By.id("settings.depositoId"))).getFirstSelectedOption().getText())
                .isEqualTo("Depósito Norte");
        new Select(driver.findElement(By.id("settings.depositoId"))).selectByVisibleText("Todas (suma de todas las bodegas)");
        shot("edit-store-form");
        submitWith("save-store");
        await().atMost(Duration.ofSeconds(15)).until(() -> driver.getCurrentUrl().endsWith("/console/stores"));
        JsonNode edited = json(admin("GET", "/api/links/" + link.get("id").asLong(), null).body());
        assertThat(edited.at("/settings/depositoId").isNull()).isTrue();
        assertThat(edited.at("/settings/puntoDeVentaId").asLong()).isEqualTo(2);

        // Unlink asks first.
        driver.findElement(By.cssSelector("tr[data-store='" + fresh.store().code() + "'] a[href$='/unlink']")).click();
        shot("unlink-confirm");
        submitWith("confirm-unlink");
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().endsWith("/console/stores"));
        assertThat(absent(By.cssSelector("tr[data-store='" + fresh.store().code() + "']"))).isTrue();
        assertThat(json(admin("GET", "/api/links/" + link.get("id").asLong(), null).body()).get("active").asBoolean()).isFalse();
    }

    @Test
    void aWrongApiKeyShowsItsErrorBesideTheFieldAndSavesNothing() {
        Fresh fresh = fresh();
        driver.get(url("/console/stores/new"));
        type("contabilium.clientId", fresh.account().email());
        type("contabilium.clientSecret", "not-the-key");
        submitWith("load-options");
        assertThat(driver.findElement(By.id("error-contabilium.clientSecret")).getText()).contains("Contabilium rechazó");

        // With the options loaded by the right key, then saved with a wrong one: the live check refuses it.
        retypeSecret(fresh.account().apiKey());
        submitWith("load-options");
        assertThat(absent(By.id("error-contabilium.clientSecret"))).isTrue();
        type("jumpseller.storeCode", fresh.store().code());
        type("jumpseller.login", fresh.login());
        type("jumpseller.authToken", fresh.token());
        retypeSecret("not-the-key");
        submitWith("save-store");

        WebElement error = driver.findElement(By.id("error-contabilium.clientSecret"));
        assertThat(error.getText()).contains("Contabilium rechazó este e-mail y clave de API");
        // beside the field: the error is the key field's own sibling
        assertThat(error.findElement(By.xpath("preceding-sibling::input")).getAttribute("id"))
                .isEqualTo("contabilium.clientSecret");
        assertThat(driver.findElement(By.id("contabilium.clientSecret")).getAttribute("class")).contains("invalid");
        shot("connect-store-wrong-key");
        assertThat(activeLinks()).noneMatch(l -> l.at("/jumpseller/storeCode").asText().equals(fresh.store().code()));
    }

    @Test
    void selectedOrdersAreInvoicedTogetherAndAParkedOrderIsRetriedOnceItsCauseIsFixed() {
        Linked link = newLink("RI", Map.of("autoInvoice", false, "includeShippingCost", false), "REM-01");
        long first = paidOrder(link, "REM-01", "Ana Pérez", null);
        long second = paidOrder(link, "REM-01", "Bruno Díaz", null);
        long unknownSku = paidOrder(link, "TAZ-99", "Carla Gómez", null);
        for (long id : List.of(first, second, unknownSku)) {
            assertThat(signedWebhook(link.store(), "order_paid", id).statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> List.of(first, second, unknownSku).stream()
                .allMatch(id -> "PENDING".equals(status(link, id))));

        driver.get(url("/console/stores/" + link.linkId() + "/orders"));
        assertThat(rowStatus(first)).isEqualTo("Pendiente");
        assertThat(driver.findElement(By.id("invoice-selected")).isEnabled()).isFalse();
        driver.findElement(By.id("select-" + first)).click();
        driver.findElement(By.id("select-" + second)).click();
        assertThat(driver.findElement(By.id("selected-count")).getText()).isEqualTo("2 pedidos seleccionados");
        shot("orders-selected");
        driver.findElement(By.id("invoice-selected")).click();

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> "Facturado".equals(rowStatus(first)) && "Facturado".equals(rowStatus(second)));
        assertThat(driver.findElement(By.id("run-invoiced")).getText()).isEqualTo("2");
        assertThat(rowStatus(unknownSku)).isEqualTo("Pendiente");
        assertThat(driver.findElement(By.id("order-" + first)).getText()).contains("FCB", "CAE");
        assertThat(link.account().issuedInvoices()).hasSize(2);

        // The third order has a SKU Contabilium does not know: it is parked, and says why.
        driver.findElement(By.id("invoice-" + unknownSku)).click();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> "Requiere atención".equals(rowStatus(unknownSku)));
        WebElement parked = driver.findElement(By.id("order-" + unknownSku));
        assertThat(parked.getAttribute("class")).contains("attention");
        assertThat(parked.findElement(By.cssSelector(".reason")).getText()).contains("TAZ-99");
        assertThat(parked.findElement(By.id("invoice-" + unknownSku)).getText()).isEqualTo("Reintentar");
        shot("orders-parked");
        phoneShot("orders-phone");
        driver.get(url("/console/stores"));
        phoneShot("stores-phone");
        driver.get(url("/console/stores/" + link.linkId() + "/orders"));

        // Search by buyer and by order number.
        driver.findElement(By.id("q")).sendKeys("carla");
        submitWith(By.cssSelector("#filters button[type=submit]"));
        assertThat(driver.findElements(By.cssSelector("tr[id^=order-]"))).extracting(e -> e.getAttribute("id"))
                .containsExactly("order-" + unknownSku);
        driver.get(url("/console/stores/" + link.linkId() + "/orders?q=" + second));
        assertThat(driver.findElements(By.cssSelector("tr[id^=order-]"))).extracting(e -> e.getAttribute("id"))
                .containsExactly("order-" + second);
        new Select(driver.findElement(By.id("estado"))); // state filter
        driver.get(url("/console/stores/" + link.linkId() + "/orders?estado=PARKED"));
        assertThat(driver.findElements(By.cssSelector("tr[id^=order-]"))).extracting(e -> e.getAttribute("id"))
                .containsExactly("order-" + unknownSku);

        // Fix the cause in Contabilium, then retry from the screen.
        link.account().addConcepto("TAZ-99", "Taza", new BigDecimal("1210.00"), new BigDecimal("21"));
        driver.findElement(By.id("invoice-" + unknownSku)).click();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            driver.get(url("/console/stores/" + link.linkId() + "/orders"));
            return "Facturado".equals(rowStatus(unknownSku));
        });
        assertThat(link.account().issuedInvoices()).hasSize(3);
        shot("orders-invoiced");
    }

    @Test
    void aDateRangeRunShowsItsProgressAndEndsWithTheRightCounts() {
        Linked link = newLink("RI", Map.of("autoInvoice", false, "includeShippingCost", false), "REM-01");
        LocalDate day = LocalDate.of(2024, 3, 10);
        OffsetDateTime noon = day.atTime(12, 0).atOffset(ZoneOffset.ofHours(-3));
        paidOrder(link, "REM-01", "Dora", noon);
        paidOrder(link, "REM-01", "Elio", noon.plusHours(1));
        paidOrder(link, "REM-01", "Fabi", noon.plusHours(2));
        paidOrder(link, "NO-EXISTE", "Gus", noon.plusHours(3));
        paidOrder(link, "REM-01", "Hugo", noon.plusDays(10)); // outside the range

        driver.get(url("/console/stores/" + link.linkId() + "/orders"));
        setDate("desde", day.minusDays(1));
        setDate("hasta", day.plusDays(1));
        CONTABILIUM.setLatency(Duration.ofMillis(150));
        try {
            driver.findElement(By.id("invoice-range")).click();
            WebElement run = driver.findElement(By.id("run"));
            assertThat(run.isDisplayed()).isTrue();
            assertThat(driver.findElement(By.id("run-state")).getText()).isEqualTo("En curso");
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> Integer.parseInt(driver.findElement(By.id("run-done")).getText()) >= 1
                            && "4".equals(driver.findElement(By.id("run-total")).getText()));
            shot("orders-run-progress");
        } finally {
            CONTABILIUM.setLatency(Duration.ZERO);
        }
        await().atMost(Duration.ofSeconds(40)).ignoreExceptions()
                .until(() -> "Terminado".equals(driver.findElement(By.id("run-state")).getText()));
        assertThat(driver.findElement(By.id("run-total")).getText()).isEqualTo("4");
        assertThat(driver.findElement(By.id("run-done")).getText()).isEqualTo("4");
        assertThat(driver.findElement(By.id("run-invoiced")).getText()).isEqualTo("3");
        assertThat(driver.findElement(By.id("run-parked")).getText()).isEqualTo("1");
        assertThat(driver.findElement(By.id("run-failed")).getText()).isEqualTo("0");
        assertThat(driver.findElement(By.id("run-skipped")).getText()).isEqualTo("0");
        assertThat(driver.findElement(By.id("run-bar")).getAttribute("style")).contains("100%");
        assertThat(link.account().issuedInvoices()).hasSize(3);
        shot("orders-run-done");
    }

    @Test
    void aReceiptIsResentFromTheOrderListAndACreditNoteIssuedAfterConfirmation() {
        Linked link = newLink("RI", Map.of("emailReceipts", true, "includeShippingCost", false), "REM-01");
        String buyer = "consola-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        long orderId = invoicedWithReceipt(link, buyer);
        assertThat(TestMail.to(buyer)).hasSize(1);

        driver.get(url("/console/stores/" + link.linkId() + "/orders"));
        assertThat(rowStatus(orderId)).isEqualTo("Facturado");
        assertThat(receiptState(orderId)).isEqualTo("Enviado");
        assertThat(driver.findElement(By.id("receipt-" + orderId)).getText()).contains(buyer);
        driver.findElement(By.id("resend-" + orderId)).click();

        await().atMost(Duration.ofSeconds(20)).until(() -> TestMail.to(buyer).size() == 2);
        // the page follows the resend and shows the second message once it is recorded
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .until(() -> "Enviado (2 envíos)".equals(receiptState(orderId)));
        assertThat(orderRow(link, orderId).at("/receipt/count").asInt()).isEqualTo(2);

        // "Emitir nota de crédito" asks first; dismissing it issues nothing.
        driver.findElement(By.id("credit-note-" + orderId)).click();
        assertThat(driver.switchTo().alert().getText()).contains("nota de crédito", "#" + orderId);
        driver.switchTo().alert().dismiss();
        assertThat(rowStatus(orderId)).isEqualTo("Facturado");
        driver.findElement(By.id("credit-note-" + orderId)).click();
        driver.switchTo().alert().accept();

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> "Anulado con nota de crédito".equals(rowStatus(orderId)));
        WebElement credit = driver.findElement(By.id("credit-" + orderId));
        assertThat(credit.getText()).contains("Nota de crédito", "NCB", "CAE");
        assertThat(absent(By.id("credit-note-" + orderId))).as("no second credit note").isTrue();
        assertThat(driver.findElement(By.id("resend-" + orderId)).isDisplayed()).isTrue();
        assertThat(link.account().documents()).hasSize(2);
        // the buyer also gets the credit note, as the third message of the order's receipt
        await().atMost(Duration.ofSeconds(20)).until(() -> TestMail.to(buyer).size() == 3);
        shot("orders-receipt-credit-note");
        phoneShot("orders-receipt-credit-note-phone", By.id("order-" + orderId));
    }

    @Test
    void aStockSyncStartedFromTheSyncPageWritesTheStoreAndShowsItsReport() {
        Linked link = newLink("RI", Map.of("autoInvoice", false), "MATE-01", "YERBA-1");
        link.account().setStock(1, "MATE-01", 9, 2); // sellable 7
        link.store().addProduct("Mate", "MATE-01", new BigDecimal("1210.00"), 3);
        link.store().addProduct("Bolso", "BOLSO-9", new BigDecimal("5000.00"), 1);

        driver.get(url("/console/stores/" + link.linkId() + "/orders"));
        driver.findElement(By.id("tab-sync")).click();
        assertThat(driver.findElement(By.tagName("h1")).getText()).startsWith("Sincronización");
        assertThat(absent(By.cssSelector("#sync-runs tbody tr"))).isTrue();
        // no price list chosen: the price sync is off, and the page says why
        assertThat(driver.findElement(By.id("sync-prices")).isEnabled()).isFalse();
        assertThat(driver.findElement(By.id("no-price-list")).getText()).contains("no tiene una lista de precios");

        driver.findElement(By.id("sync-stock")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().contains("run="));
        String runId = driver.getCurrentUrl().replaceAll(".*[?&]run=([^&]+).*", "$1");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                "DONE".equals(driver.findElement(By.id("run-" + runId)).getAttribute("data-state")));
        WebElement report = driver.findElement(By.id("run-" + runId));
        assertThat(report.findElement(By.cssSelector(".kind")).getText()).isEqualTo("Stock");
        assertThat(report.findElement(By.cssSelector(".written")).getText()).isEqualTo("1");
        assertThat(report.findElement(By.cssSelector(".changed")).getText()).isEqualTo("1");
        assertThat(report.getText()).contains("Manual", "Terminada", "1 solo en Contabilium", "1 solo en la tienda");
        assertThat(link.store().findBySku("MATE-01").orElseThrow().stock()).isEqualTo(7);
        shot("sync");
        report.findElement(By.cssSelector(".skipped summary")).click();
        assertThat(report.findElement(By.cssSelector(".skipped")).getText()).contains("YERBA-1", "BOLSO-9");
        phoneShot("sync-phone", By.id("run-" + runId));

        driver.get(url("/console/stores"));
        WebElement store = driver.findElement(By.cssSelector("tr[data-store='" + link.store().code() + "'] .last-sync"));
        assertThat(store.getText()).contains("Stock: Terminada", "1 artículo escrito")
                .containsPattern("\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}");
        shot("stores-last-sync");
    }

    private void retypeSecret(String secret) {
        type("contabilium.clientSecret", secret);
    }
}
