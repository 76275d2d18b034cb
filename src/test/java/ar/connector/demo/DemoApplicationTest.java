package ar.connector.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ar.connector.sandbox.contabilium.ContabiliumSandbox;
import ar.connector.sandbox.jumpseller.SandboxHook;

/** The demo of {@code ./mvnw spring-boot:test-run} starts, links its store and shuts down cleanly. */
class DemoApplicationTest {

    @Test
    void theDemoStartsLinksTheDemoStoreAndShutsDownCleanly() throws Exception {
        Path dataDir = Path.of("target", "demo-" + UUID.randomUUID()).toAbsolutePath();
        DemoApplication.Demo demo = DemoApplication.start(new DemoApplication.Settings(0, 0, 0, dataDir));
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(demo.adminUrl().resolve("/api/links/" + demo.linkId()))
                    .header("Authorization", DemoApplication.basicAuth()).build();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                JsonNode link = new ObjectMapper().readTree(response.body());
                assertThat(link.path("active").asBoolean()).isTrue();
                assertThat(link.path("jumpseller").path("storeCode").asText()).isEqualTo(DemoApplication.STORE_CODE);
            });
            assertThat(demo.jumpseller().store(DemoApplication.STORE_CODE).hooks()).extracting(SandboxHook::url)
                    .hasSize(4).containsOnly(demo.adminUrl() + "/webhooks/jumpseller");
            assertThat(DemoApplication.banner(demo)).contains("admin:demo", "/api/links/" + demo.linkId(),
                    demo.adminUrl() + "/actuator/hawtio", demo.adminUrl() + "/actuator/jolokia",
                    demo.adminUrl() + "/v3/api-docs");

            // A bulk run over today invoices the seeded paid orders, and their receipts reach the demo's
            // SMTP catcher as .eml files.
            String today = java.time.LocalDate.now(java.time.ZoneId.of("America/Argentina/Buenos_Aires")).toString();
            HttpResponse<String> run = http.send(HttpRequest.newBuilder(
                            demo.adminUrl().resolve("/api/links/" + demo.linkId() + "/invoice-runs"))
                    .header("Authorization", DemoApplication.basicAuth()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"" + today + "\",\"to\":\"" + today + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                try (var files = java.nio.file.Files.list(demo.mail().folder())) {
                    assertThat(files.filter(f -> f.toString().endsWith(".eml")).count()).isGreaterThanOrEqualTo(2);
                }
            });
        } finally {
            demo.close();
        }
        assertThat(demo.connector().isActive()).isFalse();

        // A second run on the same data folder reuses the link and registers the hooks in the fresh sandbox.
        DemoApplication.Demo again = DemoApplication.start(new DemoApplication.Settings(0, 0, 0, dataDir));
        try {
            assertThat(again.linkId()).isEqualTo(demo.linkId());
            assertThat(again.jumpseller().store(DemoApplication.STORE_CODE).hooks()).hasSize(4);
        } finally {
            again.close();
        }
    }

    @Test
    void theReadmesDemoCommandRunsTheDemoMainClass() throws Exception {
        // `./mvnw spring-boot:test-run` takes its main class from the pom's default-cli execution.
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).containsPattern("<id>default-cli</id>\\s*<configuration>\\s*<mainClass>"
                + java.util.regex.Pattern.quote(DemoApplication.class.getName()) + "</mainClass>");
        Method main = DemoApplication.class.getDeclaredMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers())).isTrue();
        assertThat(Files.readString(Path.of("README.md"))).contains("./mvnw spring-boot:test-run");
    }

    @Test
    void theSandboxesAreTestCodeAndNotPartOfTheProductionClasses() {
        String location = ContabiliumSandbox.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        assertThat(location).endsWith("/test-classes/");
        assertThat(Path.of("target", "classes", "ar", "connector", "sandbox")).doesNotExist();
        assertThat(Path.of("target", "classes", "ar", "connector", "demo")).doesNotExist();
    }
}
