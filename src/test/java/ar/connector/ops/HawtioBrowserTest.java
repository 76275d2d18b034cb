package ar.connector.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.apache.camel.CamelContext;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import ar.connector.support.ConnectorTest;

/**
 * Hawtio as an operator sees it (SPEC §3.4): Debian's headless Chromium logs in once, through the
 * merchant console's form, opens Hawtio's Camel view with that session, finds the connector's
 * routes, stops and starts one from the routes table, reads the routes' source and opens the route
 * diagrams of order-invoicing, invoice-turn, invoice-order, invoice-run, stock-sync and price-sync, whose nodes show each step
 * (split, aggregation, filter, hop), all within the Jolokia access policy (nothing the Camel view asks for is refused). The screenshots stay under
 * target/screenshots/ as the test's artifacts. Needs the Debian packages
 * chromium and chromium-driver (.ci/run installs them).
 */
@Tag("heavy")
@ConnectorTest
class HawtioBrowserTest {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final List<String> ROUTES = List.of("order-webhook", "order-polling", "order-invoicing", "invoice-run",
            "webhook-check");

    /** The steps (node ids) each flow's diagram must show. */
    static final java.util.Map<String, List<String>> DIAGRAMS = new java.util.LinkedHashMap<>(java.util.Map.of(
            "order-invoicing", List.of("order-invoicing-admit"),
            "invoice-turn", List.of("invoice-turn-take", "invoice-turn-has-order", "invoice-turn-invoice"),
            "invoice-order", List.of("order-invoicing-invoice", "order-invoicing-invoice-issued",
                    "order-invoicing-receipt-owed", "order-invoicing-receipt", "invoice-order-done"),
            "invoice-run", List.of("invoice-run-page", "invoice-run-orders", "invoice-run-enqueue-order",
                    "invoice-run-next-page", "invoice-run-queue-next"),
            "stock-sync", List.of("stock-sync-plan", "stock-sync-accounts", "stock-sync-warehouses",
                    "stock-sync-read-stock", "stock-sync-stores", "stock-sync-store"),
            "price-sync", List.of("price-sync-plan", "price-sync-lists", "price-sync-read-list", "price-sync-stores",
                    "price-sync-store", "price-sync-report")));

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    final ListAppender<ILoggingEvent> refusals = new ListAppender<>();

    WebDriver browser;

    @Test
    void hawtioCamelViewListsTheConnectorsRoutesAndShowsTheStepsOfEachFlowsDiagram() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1600,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);

        // One login for both consoles: the merchant console's form, then Hawtio with that session.
        browser.get("http://127.0.0.1:" + port + "/console/login");
        browser.findElement(By.id("username")).sendKeys(ConnectorTest.ADMIN_USER);
        browser.findElement(By.id("password")).sendKeys(ConnectorTest.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(page -> page.getCurrentUrl().contains("/console/stores"));
        browser.get("http://127.0.0.1:" + port + "/actuator/hawtio/camel/routes");

        Files.createDirectories(SCREENSHOTS);
        Path shot = SCREENSHOTS.resolve("hawtio-camel-routes.png");
        Logger restrictor = (Logger) LoggerFactory.getLogger(JolokiaAccess.class.getName() + "$ConnectorRestrictor");
        restrictor.setLevel(Level.DEBUG);
        refusals.start();
        restrictor.addAppender(refusals);
        try {
            new WebDriverWait(browser, Duration.ofSeconds(60)).pollingEvery(Duration.ofMillis(500))
                    .until(page -> {
                        String text = page.findElement(By.tagName("body")).getText();
                        return ROUTES.stream().allMatch(text::contains);
                    });
            // The context's "routes" folder opens the routes table, with each route's state.
            browser.findElement(By.xpath("//*[normalize-space(text())='routes']")).click();
            new WebDriverWait(browser, Duration.ofSeconds(30)).pollingEvery(Duration.ofMillis(500))
                    .until(page -> page.findElement(By.tagName("main")).getText().contains("Started"));
            assertThat(browser.findElement(By.tagName("body")).getText()).contains(ROUTES);
            assertThat(browser.findElement(By.tagName("main")).getText()).contains(ROUTES).contains("Started");

            // Stop and start a route from the routes table, as an operator does.
            routeAction("order-polling", "Stop", "Stopped");
            assertThat(camel.getRouteController().getRouteStatus("order-polling").isStopped()).isTrue();
            Files.write(SCREENSHOTS.resolve("hawtio-route-stopped.png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            routeAction("order-polling", "Start", "Started");
            assertThat(camel.getRouteController().getRouteStatus("order-polling").isStarted()).isTrue();

            // The routes' source (dumpRoutesAsXml) under the policy.
            browser.findElement(By.linkText("Source")).click();
            new WebDriverWait(browser, Duration.ofSeconds(30)).pollingEvery(Duration.ofMillis(500))
                    .until(page -> page.findElement(By.tagName("main")).getText().contains("order-invoicing"));

            // Each flow's diagram shows its steps: the splits, aggregations and hops of the routes' YAML.
            for (var diagram : DIAGRAMS.entrySet()) {
                Path diagramShot = SCREENSHOTS.resolve("hawtio-route-" + diagram.getKey() + ".png");
                String shown = openDiagram(diagram.getKey(), diagramShot);
                assertThat(shown).as("diagram of %s", diagram.getKey()).contains(diagram.getValue());
                assertThat(diagramShot).isNotEmptyFile();
            }
        } finally {
            Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            refusals.stop();
            ((Logger) LoggerFactory.getLogger(JolokiaAccess.class.getName() + "$ConnectorRestrictor"))
                    .detachAppender(refusals);
        }
        assertThat(shot).isNotEmptyFile();
        List<String> refused = refusals.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        System.out.println("Jolokia calls the policy refused during the Hawtio session: " + refused);
        assertThat(refused).as("the Camel view needs nothing the policy refuses")
                .noneMatch(message -> message.contains("org.apache.camel"));
    }

    /** Ticks the route's row in the routes table, presses the toolbar's button, waits for the state. */
    private void routeAction(String routeId, String button, String state) {
        // The table is drawn anew every few seconds: look elements up again when one goes stale.
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.pollingEvery(Duration.ofMillis(300)).ignoring(StaleElementReferenceException.class);
        wait.until(page -> {
            WebElement box = routeRow(routeId).findElement(By.cssSelector("input[type=checkbox]"));
            if (!box.isSelected()) {
                box.click();
            }
            return box.isSelected();
        });
        wait.until(page -> {
            WebElement action = page.findElement(
                    By.xpath("//*[@id='camel-routes-toolbar']//button[normalize-space(.)='" + button + "']"));
            if (!action.isEnabled()) {
                return false;
            }
            action.click();
            return true;
        });
        wait.until(page -> routeRow(routeId).findElement(By.cssSelector("td[data-label=State]")).getText()
                .equals(state));
    }

    private WebElement routeRow(String routeId) {
        return browser.findElement(By.xpath(
                "//table[@id='camel-routes-table']//tr[td[@data-label='Name' and normalize-space(.)='" + routeId + "']]"));
    }

    /** Opens a route's diagram from the Camel tree and answers the text its nodes show. */
    private String openDiagram(String routeId, Path shot) throws Exception {
        List<String> expected = DIAGRAMS.get(routeId);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            wait.pollingEvery(Duration.ofMillis(500));
            wait.until(page -> {
                List<org.openqa.selenium.WebElement> nodes = page.findElements(
                        By.xpath("//*[@id='camel-tree-view']//*[normalize-space(text())='" + routeId + "']"));
                if (nodes.isEmpty()) {
                    nodes = page.findElements(By.xpath("//*[normalize-space(text())='" + routeId + "']"));
                }
                if (nodes.isEmpty()) {
                    return false;
                }
                nodes.get(0).click();
                return true;
            });
            wait.until(page -> {
                List<org.openqa.selenium.WebElement> tabs = page.findElements(
                        By.xpath("//*[self::button or self::a][contains(normalize-space(.), 'Route Diagram')]"));
                if (tabs.isEmpty()) {
                    return false;
                }
                tabs.get(0).click();
                return true;
            });
            // The diagram's nodes (React Flow) name each step and its id; some are drawn outside the
            // visible area, so their text is read from the DOM rather than from what is on screen.
            wait.until(page -> {
                String text = diagramText(page);
                return expected.stream().allMatch(text::contains);
            });
            return diagramText(browser);
        } finally {
            Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        }
    }

    private static String diagramText(WebDriver page) {
        String text = page.findElement(By.tagName("main")).getAttribute("textContent");
        return text == null ? "" : text;
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }
}
