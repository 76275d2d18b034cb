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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

import ar.connector.support.ConnectorTest;

/**
 * Hawtio as an operator sees it (SPEC §3.4): Debian's headless Chromium logs in with the admin's
 * HTTP Basic credentials, opens the Camel view, and finds the connector's routes there. The
 * screenshot stays under target/screenshots/ as the test's artifact. Needs the Debian packages
 * chromium and chromium-driver (.ci/run installs them).
 */
@Tag("heavy")
@ConnectorTest
class HawtioBrowserTest {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final List<String> ROUTES = List.of("order-webhook", "order-polling", "order-invoicing", "invoice-run",
            "webhook-check");

    @LocalServerPort
    int port;

    WebDriver browser;

    @Test
    void hawtioCamelViewListsTheConnectorsRoutesAfterLogin() throws Exception {
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

        // The credentials in the first URL are HTTP Basic's login; the browser then reuses them for
        // Hawtio's own calls (its Jolokia) to the same origin.
        String login = ConnectorTest.ADMIN_USER + ":" + ConnectorTest.ADMIN_PASSWORD + "@";
        browser.get("http://" + login + "127.0.0.1:" + port + "/actuator/hawtio/");
        browser.get("http://127.0.0.1:" + port + "/actuator/hawtio/camel/routes");

        Files.createDirectories(SCREENSHOTS);
        Path shot = SCREENSHOTS.resolve("hawtio-camel-routes.png");
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
        } finally {
            Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        }
        assertThat(browser.findElement(By.tagName("body")).getText()).contains(ROUTES);
        assertThat(browser.findElement(By.tagName("main")).getText()).contains(ROUTES).contains("Started");
        assertThat(shot).isNotEmptyFile();
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }
}
