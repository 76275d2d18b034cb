package ar.connector.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.invoicing.SandboxedConnectorTest;
import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.sandbox.jumpseller.SandboxStore;

/**
 * The merchant console in a real headless Chromium (Debian's chromium + chromium-driver) against
 * the running connector and both sandboxes, logged in through the console's own login form.
 * Screenshots are kept under target/screenshots, at a laptop's (1366 px) and a phone's (390 px) width.
 * Without /usr/bin/chromedriver these tests fail at once, saying what to install.
 */
@Tag("heavy")
abstract class ConsoleBrowser extends SandboxedConnectorTest {

    static final Path SHOTS = Path.of("target", "screenshots");
    static final Dimension LAPTOP = new Dimension(1366, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    static final Dimension WIDE = new Dimension(1920, 1000);
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration IMPLICIT_WAIT = Duration.ofSeconds(15);
    static WebDriver driver;
    private static boolean loggedIn;

    @BeforeEach
    void browser() {
        if (driver == null) {
            assertThat(CHROMEDRIVER).as("the console's browser tests need Chromium and its driver: "
                    + "apt-get install chromium chromium-driver").exists();
            System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
            ChromeOptions options = new ChromeOptions();
            if (Files.exists(Path.of("/usr/bin/chromium"))) {
                options.setBinary("/usr/bin/chromium");
            }
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--lang=es-AR", "--window-size=1366,900");
            driver = new ChromeDriver(ChromeDriverService.createDefaultService(), options);
            // Look-ups wait for their element: a click that navigates returns before the next page is there.
            driver.manage().timeouts().implicitlyWait(IMPLICIT_WAIT);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            loggedIn = false;
        }
        driver.manage().window().setSize(LAPTOP);
        if (!loggedIn) {
            loggedIn = true;
            // First visit: anonymous, so the console sends the browser to its login page.
            driver.get(url("/console/stores"));
            assertThat(driver.getCurrentUrl()).endsWith("/console/login");
            shot("login");
            driver.findElement(By.id("username")).sendKeys("admin");
            driver.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
            driver.findElement(By.cssSelector("#login-form button[type=submit]")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().contains("/console/stores"));
        }
    }

    @AfterAll
    static void closeBrowser() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    // ---- data ----

    record Fresh(SandboxAccount account, SandboxStore store, String login, String token) {
    }

    /** A Contabilium account and a Jumpseller store that are not linked yet. */
    Fresh fresh() {
        String n = UUID.randomUUID().toString().substring(0, 8);
        SandboxAccount account = CONTABILIUM.addAccount("consola-" + n + "@example.com", "clave-" + n, "RI",
                "Comercio " + n + " SA", "30712345674");
        account.seedDefaults();
        SandboxStore store = JUMPSELLER.addStore("consola-" + n, "Tienda " + n, "login-" + n, "token-" + n, "hooks-" + n);
        return new Fresh(account, store, "login-" + n, "token-" + n);
    }

    long paidOrder(Linked link, String sku, String buyer, OffsetDateTime at) {
        var order = link.store().newOrder()
                .customer(buyer.toLowerCase().replaceAll("[^a-z]", "") + "@example.com", buyer)
                .additionalField("DNI", "30123456")
                .line(sku, 1, 1210.00)
                .status("paid");
        if (at != null) {
            order.createdAt(at);
        }
        return order.create();
    }

    /** A paid order invoiced through its webhook, waited for. */
    long invoicedOrder(Linked link, String sku, String buyer) {
        long orderId = paidOrder(link, sku, buyer, null);
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "INVOICED");
        return orderId;
    }

    /** A paid order to {@code buyer} (an e-mail address), invoiced and its receipt sent, waited for. */
    long invoicedWithReceipt(Linked link, String buyer) {
        long orderId = link.store().newOrder().customer(buyer, "Irene Sosa").additionalField("DNI", "30123456")
                .line("REM-01", 1, 1210.00).status("paid").create();
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "SENT".equals(orderRow(link, orderId).at("/receipt/status").asText()));
        return orderId;
    }

    List<JsonNode> activeLinks() {
        List<JsonNode> out = new java.util.ArrayList<>();
        json(admin("GET", "/api/links", null).body()).forEach(out::add);
        return out;
    }

    // ---- the page ----

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    String receiptState(long orderId) {
        return driver.findElement(By.cssSelector("#receipt-" + orderId + " .receipt-state")).getText();
    }

    String rowStatus(long orderId) {
        return driver.findElement(By.cssSelector("#order-" + orderId + " .badge.status")).getText();
    }

    List<String> optionTexts(String selectId) {
        return new Select(driver.findElement(By.id(selectId))).getOptions().stream().map(WebElement::getText).toList();
    }

    void type(String id, String text) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    String text(By by) {
        return driver.findElement(by).getText();
    }

    /** Whether the page shows no such element, asked without the implicit wait (absence needs none). */
    boolean absent(By by) {
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        try {
            return driver.findElements(by).isEmpty();
        } finally {
            driver.manage().timeouts().implicitlyWait(IMPLICIT_WAIT);
        }
    }

    /** Clicks a submit button and waits for the answer page, so nothing is read from the page before it. */
    void submitWith(String buttonId) {
        submitWith(By.id(buttonId));
    }

    void submitWith(By button) {
        WebElement before = driver.findElement(By.tagName("html"));
        driver.findElement(button).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            try {
                before.isDisplayed();
                return false;
            } catch (org.openqa.selenium.StaleElementReferenceException replaced) {
                return true;
            }
        });
    }

    /** Types a date as a person would: the field changes and says so (its "change" event). */
    void setDate(String id, java.time.LocalDate date) {
        ((JavascriptExecutor) driver).executeScript("const field = document.getElementById(arguments[0]);"
                + " field.value = arguments[1]; field.dispatchEvent(new Event('change'));", id, date.toString());
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    // ---- screenshots ----

    static void shot(String name) {
        try {
            Files.createDirectories(SHOTS);
            Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void phoneShot(String name) {
        phoneShot(name, null);
    }

    /** A phone-width screenshot with {@code showing} scrolled to the top of the screen. */
    static void phoneShot(String name, By showing) {
        driver.manage().window().setSize(PHONE);
        try {
            if (showing != null) {
                ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView(true);", driver.findElement(showing));
            }
            shot(name);
        } finally {
            driver.manage().window().setSize(LAPTOP);
        }
    }

    /** The page as it is, at 1366 px ({@code name}) and at 390 px ({@code name-phone}), {@code showing} in view. */
    static void shots(String name, By showing) {
        if (showing != null) {
            ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'});",
                    driver.findElement(showing));
        }
        shot(name);
        phoneShot(name + "-phone", showing);
    }

    static void shots(String name) {
        shots(name, null);
    }
}
