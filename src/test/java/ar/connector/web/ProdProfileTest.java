package ar.connector.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import ar.connector.ConnectorApplication;

/**
 * Under the {@code prod} profile the console's session cookie is Secure and SameSite=Strict, and
 * console pages carry a Content-Security-Policy that allows only the connector's own scripts and
 * styles. The application as installed, started with prod on a data directory of its own.
 */
class ProdProfileTest {

    @TempDir
    Path dataDir;

    @Test
    void consoleSessionCookieIsSecureAndStrictAndPagesCarryACsp() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ConnectorApplication.class).run(
                "--spring.profiles.active=prod", "--connector.data-dir=" + dataDir, "--server.port=0",
                "--spring.main.banner-mode=off", "--camel.springboot.main-run-controller=false",
                "--connector.secrets.key=rkIOJyjy0xVmrVY3+UThOKgkSw8hk2YKp4WmZgiarAo=",
                "--connector.admin.password=prod-profile-test")) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/console/login")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(login.statusCode()).isEqualTo(200);
            String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                    .findFirst().orElseThrow();
            assertThat(cookie).contains("; Secure").contains("; HttpOnly").contains("SameSite=Strict");
            String csp = login.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("script-src 'self'").contains("style-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-eval");
        }
    }
}
