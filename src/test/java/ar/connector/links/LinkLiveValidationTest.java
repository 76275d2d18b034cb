package ar.connector.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ar.connector.sandbox.contabilium.ContabiliumSandbox;
import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.sandbox.jumpseller.JumpsellerSandbox;
import ar.connector.sandbox.jumpseller.SandboxHook;
import ar.connector.sandbox.jumpseller.SandboxStore;
import ar.connector.webhooks.WebhookRegistrar;

/**
 * SPEC §2 through the admin API of a running connector: saving a link checks the credentials and
 * every setting against the live accounts (here the sandboxes), a wrong value is a 422 naming the
 * field and nothing is stored; with {@code connector.public-url} set, linking registers the store's
 * webhooks and unlinking removes them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LinkLiveValidationTest {

    private static final String PUBLIC_URL = "https://connector.example.com";
    private static final String PASSWORD = "test-admin-" + UUID.randomUUID();
    private static final JumpsellerSandbox jumpseller = JumpsellerSandbox.start();
    private static final ContabiliumSandbox contabilium = ContabiliumSandbox.start();
    private static final AtomicInteger seq = new AtomicInteger();
    private static final ObjectMapper json = new ObjectMapper();

    static {
        jumpseller.setRateLimits(0, 0);
        contabilium.unlimited();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("connector.jumpseller.api-url", () -> jumpseller.baseUrl().toString());
        registry.add("connector.contabilium.api-url", () -> contabilium.baseUrl().toString());
        registry.add("connector.contabilium.rate-limit.requests", () -> "1000");
        registry.add("connector.contabilium.rate-limit.period", () -> "1s");
        registry.add("connector.public-url", () -> PUBLIC_URL);
        registry.add("connector.admin.password", () -> PASSWORD);
        registry.add("connector.data-dir", () -> java.nio.file.Path.of("target", "link-live-validation-" + UUID.randomUUID())
                .toAbsolutePath().toString());
    }

    @AfterAll
    static void stopSandboxes() {
        jumpseller.close();
        contabilium.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    LinkRepository repository;

    private final HttpClient http = HttpClient.newHttpClient();

    /** A store and an account that fit each other, and a valid request for them. */
    private record Fixture(SandboxStore store, SandboxAccount account, ObjectNode request) {
    }

    private Fixture fixture() {
        int n = seq.incrementAndGet();
        String code = "tienda" + n;
        SandboxStore store = jumpseller.addStore(code, "Tienda " + n, "login-" + n, "token-" + n, "hooks-" + n);
        SandboxAccount account = contabilium.addAccount("cuenta" + n + "@example.com", "key-" + n, "RI",
                "Tienda " + n + " SA", "30712345674").seedDefaults();
        account.addPriceList(5, "Minorista");
        ObjectNode request = json.createObjectNode().put("name", "Tienda " + n);
        request.putObject("contabilium").put("clientId", account.email()).put("clientSecret", "key-" + n);
        request.putObject("jumpseller").put("storeCode", code).put("login", "login-" + n).put("authToken", "token-" + n)
                .put("hooksToken", "hooks-" + n);
        request.putObject("settings").put("puntoDeVentaId", 1).put("condicionDeVenta", "Contado").put("depositoId", 1)
                .put("listaDePreciosId", 5).put("includeShippingCost", true).put("shippingConceptCode", "ENVIO");
        return new Fixture(store, account, request);
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> errorFields(HttpResponse<String> response) throws Exception {
        JsonNode errors = json.readTree(response.body()).path("errors");
        return StreamSupport.stream(errors.spliterator(), false).map(e -> e.path("field").asText()).toList();
    }

    private void assertNothingStored(Fixture f) throws Exception {
        HttpResponse<String> list = send("GET", "/api/links?includeUnlinked=true", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(f.store().code() + "\"");
        assertThat(repository.findAll()).noneMatch(l -> f.store().code().equals(l.getJumpsellerStoreCode()));
        assertThat(f.store().hooks()).isEmpty();
    }

    @Test
    void aWrongContabiliumKeyIsRejectedNamingClientSecretAndNothingIsStored() throws Exception {
        Fixture f = fixture();
        ((ObjectNode) f.request().get("contabilium")).put("clientSecret", "not-the-key");

        HttpResponse<String> response = send("POST", "/api/links", f.request());

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(errorFields(response)).containsExactly("contabilium.clientSecret");
        assertNothingStored(f);
    }

    @Test
    void aWrongJumpsellerTokenIsRejectedNamingAuthTokenAndNothingIsStored() throws Exception {
        Fixture f = fixture();
        ((ObjectNode) f.request().get("jumpseller")).put("authToken", "not-the-token");

        HttpResponse<String> response = send("POST", "/api/links", f.request());

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(errorFields(response)).containsExactly("jumpseller.authToken");
        assertNothingStored(f);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "puntoDeVentaId, 99",
            "condicionDeVenta, Cheque diferido",
            "depositoId, 99",
            "listaDePreciosId, 99",
            "shippingConceptCode, FLETE"})
    void aSettingTheAccountDoesNotHaveIsRejectedNamingItAndNothingIsStored(String setting, String value) throws Exception {
        Fixture f = fixture();
        ObjectNode settings = (ObjectNode) f.request().get("settings");
        if (value.matches("\\d+")) {
            settings.put(setting, Long.parseLong(value));
        } else {
            settings.put(setting, value);
        }

        HttpResponse<String> response = send("POST", "/api/links", f.request());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(errorFields(response)).containsExactly("settings." + setting);
        assertThat(json.readTree(response.body()).path("errors").get(0).path("message").asText()).isNotBlank();
        assertNothingStored(f);
    }

    @Test
    void aMissingShippingConceptIsAcceptedWhenShippingIsNotInvoiced() throws Exception {
        Fixture f = fixture();
        ((ObjectNode) f.request().get("settings")).put("includeShippingCost", false).put("shippingConceptCode", "FLETE");

        assertThat(send("POST", "/api/links", f.request()).statusCode()).isEqualTo(201);
    }

    @Test
    void anOmittedHooksTokenIsReadFromTheStore() throws Exception {
        Fixture f = fixture();
        ((ObjectNode) f.request().get("jumpseller")).remove("hooksToken");

        HttpResponse<String> response = send("POST", "/api/links", f.request());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        long id = json.readTree(response.body()).path("id").asLong();
        assertThat(response.body()).doesNotContain(f.store().hooksToken()).doesNotContain("key-").doesNotContain("token-");
        assertThat(repository.findById(id)).hasValueSatisfying(
                link -> assertThat(link.getJumpsellerHooksToken()).isEqualTo(f.store().hooksToken()));
    }

    @Test
    void anUnreachableContabiliumIs503AndNothingIsStored() throws Exception {
        Fixture f = fixture();
        contabilium.setDown(true);
        try {
            HttpResponse<String> response = send("POST", "/api/links", f.request());
            assertThat(response.statusCode()).isEqualTo(503);
        } finally {
            contabilium.setDown(false);
        }
        assertNothingStored(f);
    }

    @Test
    void linkingRegistersTheWebhooksAtThePublicUrlAndUnlinkingRemovesThem() throws Exception {
        Fixture f = fixture();
        f.store().registerHook("order_paid", "https://someone-else.example.com/hook"); // not ours: left alone

        HttpResponse<String> created = send("POST", "/api/links", f.request());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = json.readTree(created.body()).path("id").asLong();

        String url = PUBLIC_URL + "/webhooks/jumpseller";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(f.store().hooks())
                .filteredOn(h -> url.equals(h.url())).extracting(SandboxHook::event)
                .containsExactlyInAnyOrderElementsOf(WebhookRegistrar.EVENTS));
        assertThat(WebhookRegistrar.EVENTS)
                .containsExactlyInAnyOrder("order_paid", "order_updated", "order_canceled", "product_stock_updated");

        HttpResponse<String> fetched = send("GET", "/api/links/" + id, null);
        assertThat(json.readTree(fetched.body()).path("active").asBoolean()).isTrue();

        assertThat(send("DELETE", "/api/links/" + id, null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(f.store().hooks())
                .extracting(SandboxHook::url).containsExactly("https://someone-else.example.com/hook"));
        assertThat(send("GET", "/api/links", null).body()).doesNotContain("\"" + f.store().code() + "\"");
    }

    @Test
    void theNewLinkStartsAfterTheNewestOrderOfTheStore() throws Exception {
        Fixture f = fixture();
        f.store().addProduct("Remera", "REM-1", new BigDecimal("100"), 5);
        f.store().newOrder().line("REM-1", 1, 100).status("paid").create();
        long newest = f.store().newOrder().line("REM-1", 1, 100).status("paid").create();

        HttpResponse<String> created = send("POST", "/api/links", f.request());

        assertThat(created.statusCode()).isEqualTo(201);
        long id = json.readTree(created.body()).path("id").asLong();
        assertThat(repository.findById(id)).hasValueSatisfying(
                link -> assertThat(link.getStartAfterOrderId()).isEqualTo(newest));
    }
}
