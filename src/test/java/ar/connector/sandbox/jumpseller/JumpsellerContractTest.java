package ar.connector.sandbox.jumpseller;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drives every endpoint the connector uses through plain HTTP and validates each recorded exchange
 * against Jumpseller's openapi.json, with only the README's named deviations excused.
 */
class JumpsellerContractTest {
    private static JumpsellerSandbox sandbox;
    private static OpenApiContract contract;
    private SandboxStore store;
    private RawJumpsellerHttp client;
    private static int storeSeq;

    @BeforeAll
    static void startSandbox() {
        sandbox = JumpsellerSandbox.start();
        sandbox.setRateLimits(0, 0);
        contract = OpenApiContract.jumpseller();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void freshStore() {
        String code = "contract" + (++storeSeq);
        store = sandbox.addStore(code, "Tienda " + code, "login-" + code, "token-" + code, "hooks-" + code);
        client = new RawJumpsellerHttp(sandbox.baseUrl(), "login-" + code, "token-" + code);
        sandbox.clearRequests();
    }

    @Test
    void everyEndpointConformsInLooseMode() {
        exerciseEveryEndpoint();
        contract.assertConforms(sandbox.requests());
    }

    @Test
    void everyEndpointConformsInStrictMode() {
        store.setLoose(false);
        exerciseEveryEndpoint();
        contract.assertConforms(sandbox.requests());
    }

    @Test
    void undeclaredErrorStatusesAnswerTheReadmeEnvelope() {
        client.get("/orders/999999.json");
        client.put("/products/999999.json", "{\"product\":{\"stock\":1}}");
        new RawJumpsellerHttp(sandbox.baseUrl(), "nobody", "wrong").get("/orders.json");
        assertThat(sandbox.requests()).extracting(RecordedRequest::status).containsExactly(404, 404, 401);
        contract.assertConforms(sandbox.requests());
    }

    @Test
    void catchesAViolationThatIsNotWhitelisted() {
        // status_enum outside its enum and products as an object: no deviation excuses either.
        String badOrder = "{\"order\":{\"id\":1,\"status_enum\":\"shipped\",\"products\":{\"sku\":\"A\"}}}";
        RecordedRequest forged = new RecordedRequest(java.time.Instant.now(), "x", "GET", "/v1/orders/1.json", null,
                Map.of("authorization", List.of("Basic eDp5")), "", 200,
                Map.of("content-type", List.of("application/json")), badOrder);

        List<OpenApiContract.Violation> violations = contract.violations(forged);

        assertThat(violations).extracting(OpenApiContract.Violation::key)
                .contains("validation.response.body.schema.enum", "validation.response.body.schema.type");
        assertThatThrownBy(() -> contract.assertConforms(List.of(forged)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("/order/status_enum");
    }

    @Test
    void catchesAConnectorRequestOutsideTheSpec() {
        // limit above the spec's maximum of 100, and an unknown query parameter.
        client.get("/products.json?limit=250&per_page=10");
        assertThat(contract.violations(sandbox.requests())).extracting(OpenApiContract.Violation::key)
                .contains("validation.request.parameter.schema.maximum",
                        "validation.request.parameter.query.unexpected");
    }

    @Test
    void whitelistIsExactlyTheReadmeList() {
        assertThat(OpenApiContract.DEVIATIONS).containsOnlyKeys("partial-update-bodies", "document-type-integer",
                "null-fields", "ids-and-amounts-as-strings", "paging-on-after-and-status", "orders-after-answers-array");
    }

    private void exerciseEveryEndpoint() {
        SandboxProduct simple = store.addProduct("Mate", "MATE-1", new BigDecimal("1500.00"), 10);
        SandboxProduct shirt = store.addProductWithVariants("Remera", List.of(
                new VariantSpec("REM-S", new BigDecimal("9000"), 3), new VariantSpec("REM-M", new BigDecimal("9000"), 4)));
        long variantId = shirt.variants().get(0).id();
        OffsetDateTime day = OffsetDateTime.parse("2026-03-02T15:00:00-03:00");
        long o1 = store.newOrder().customer("ana@example.com", "Ana Gómez").taxid("20123456786")
                .additionalField("DNI", "12345678").billingCompany("Ana SRL", "Responsable Inscripto")
                .line("MATE-1", 2, 1500).line("REM-S", 1, 9000, 900).shipping(800).status("paid").createdAt(day).create();
        long o2 = store.newOrder().line("GONE-1", 1, 100).address("Calle", 123).createdAt(day.plusHours(1)).create();
        store.newOrder().line("MATE-1", 1, 1500).giftCards(500).status("canceled").createdAt(day.plusHours(2)).create();

        client.get("/store/info.json");
        client.send("GET", "/store/info.json?login=login-" + store.code() + "&authtoken=token-" + store.code(), null);
        client.get("/orders/" + o1 + ".json");
        client.get("/orders/" + o2 + ".json");
        client.get("/orders/after/" + (o1 - 1) + ".json?limit=2&page=1");
        client.get("/orders/after/" + (o1 - 1) + ".json?limit=2&page=2");
        client.get("/orders/status/paid.json?limit=50&page=1");
        client.get("/orders/search.json?status_filters[]=paid&dateFilter=customDate"
                + "&initialDate=2026-03-01&finalDate=2026-03-02&limit=50&page=1");
        client.get("/orders.json?limit=2&page=1");
        client.post("/orders/" + o1 + "/documents.json", "{\"document\":{\"document_type\":1,\"external_id\":\"cb-1\","
                + "\"public_id\":\"0001-00000001\",\"url\":\"https://example.com/f/1.pdf\"}}");
        client.post("/orders/" + o1 + "/documents.json", "{\"document\":{\"document_type\":0,\"external_id\":\"cb-2\","
                + "\"public_id\":\"0001-00000002\",\"url\":\"https://example.com/f/2.pdf\"}}");
        client.get("/orders/" + o1 + "/documents.json");
        store.excludeTax(new BigDecimal("21"), new BigDecimal("21"));
        long taxed = store.newOrder().line("MATE-1", 1, 1000).shipping(500).status("paid").createdAt(day).create();
        client.get("/orders/" + taxed + ".json");
        client.get("/products.json?limit=100&page=1");
        client.get("/products/" + simple.id() + ".json");
        client.put("/products/" + simple.id() + ".json", "{\"product\":{\"stock\":12,\"stock_unlimited\":false}}");
        client.put("/products/" + simple.id() + ".json", "{\"product\":{\"price\":9999.0}}");
        client.get("/products/" + shirt.id() + "/variants.json");
        client.put("/products/" + shirt.id() + "/variants/" + variantId + ".json",
                "{\"variant\":{\"stock\":3,\"stock_unlimited\":false}}");
        client.put("/products/" + shirt.id() + "/variants/" + variantId + ".json", "{\"variant\":{\"price\":9500.0}}");
        var hook = client.post("/hooks.json", "{\"hook\":{\"event\":\"order_paid\",\"url\":\"https://example.com/wh\"}}");
        client.get("/hooks.json");
        client.delete("/hooks/" + hook.json().path("hook").path("id").asLong() + ".json");

        assertThat(sandbox.requests()).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
    }
}
