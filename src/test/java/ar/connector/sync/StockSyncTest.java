package ar.connector.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.sandbox.jumpseller.RecordedRequest;
import ar.connector.sandbox.jumpseller.SandboxProduct;
import ar.connector.sandbox.jumpseller.VariantSpec;

/** Stock from Contabilium's warehouses to the linked stores, through the real routes and both sandboxes. */
class StockSyncTest extends SyncTestSupport {

    private static final BigDecimal PRICE = new BigDecimal("1210.00");

    @Test
    void emptyWarehouseSettingShowsThePerSkuSumAndAChosenWarehouseOnlyItsOwn() {
        SandboxAccount account = account("MATE-01", "BOMBI-02", "SOLO-CB");
        account.setStock(1, "MATE-01", 5, 1);   // sellable 4
        account.setStock(2, "MATE-01", 3, 0);
        account.setStock(3, "MATE-01", 2, 0);
        account.setStock(1, "BOMBI-02", 0, 0);
        account.setStock(2, "BOMBI-02", 7, 0);
        account.setStock(3, "BOMBI-02", 1, 0);
        Linked summing = link(account, Map.of());
        Linked second = link(account, Map.of("depositoId", 2));
        for (Linked l : List.of(summing, second)) {
            // SKUs match case-insensitively; SOLO-JS exists only in the store.
            l.store().addProduct("Mate", "mate-01", PRICE, 0);
            l.store().addProduct("Bombilla", "BOMBI-02", PRICE, 0);
            l.store().addProduct("Solo tienda", "SOLO-JS", PRICE, 4);
        }

        JsonNode sumRun = sync(summing, "stock");
        JsonNode oneRun = sync(second, "stock");

        assertThat(sumRun.path("state").asText()).isEqualTo("DONE");
        assertThat(stock(summing.store(), "mate-01")).isEqualTo(4 + 3 + 2);
        assertThat(stock(summing.store(), "BOMBI-02")).isEqualTo(0 + 7 + 1);
        assertThat(stock(second.store(), "mate-01")).isEqualTo(3);
        assertThat(stock(second.store(), "BOMBI-02")).isEqualTo(7);
        assertThat(stock(summing.store(), "SOLO-JS")).as("a SKU unknown to Contabilium is not guessed").isEqualTo(4);
        for (JsonNode run : List.of(sumRun, oneRun)) {
            assertThat(run.path("itemsRead").asInt()).isEqualTo(3);
            assertThat(run.path("changed").asInt()).isEqualTo(2);
            assertThat(run.path("written").asInt()).isEqualTo(2);
            assertThat(run.at("/skippedSkus/onlyInStore/skus").toString()).isEqualTo("[\"SOLO-JS\"]");
            assertThat(run.at("/skippedSkus/onlyInContabilium/skus").toString()).isEqualTo("[\"SOLO-CB\"]");
            assertThat(run.path("durationMs").isNumber()).isTrue();
        }
    }

    @Test
    void variantsAndSimpleProductsAreEachWrittenAtTheirOwnEndpoint() {
        SandboxAccount account = account("REMERA-S", "REMERA-M", "TAZA");
        account.setStock(1, "REMERA-S", 6, 0);
        account.setStock(1, "REMERA-M", 2, 0);
        account.setStock(1, "TAZA", 11, 0);
        Linked link = link(account, Map.of("depositoId", 1));
        SandboxProduct remera = link.store().addProductWithVariants("Remera",
                List.of(new VariantSpec("REMERA-S", PRICE, 0), new VariantSpec("REMERA-M", PRICE, 0)));
        SandboxProduct taza = link.store().addProduct("Taza", "TAZA", PRICE, 0);

        sync(link, "stock");

        List<RecordedRequest> writes = writes(link.store());
        assertThat(writes).extracting(RecordedRequest::apiPath).containsExactlyInAnyOrder(
                "/products/" + remera.id() + "/variants/" + remera.variantBySku("REMERA-S").orElseThrow().id() + ".json",
                "/products/" + remera.id() + "/variants/" + remera.variantBySku("REMERA-M").orElseThrow().id() + ".json",
                "/products/" + taza.id() + ".json");
        assertThat(writes).allSatisfy(w -> {
            assertThat(w.status()).isEqualTo(200);
            assertThat(json(w.requestBody()).findValue("stock_unlimited").asBoolean(true)).isFalse();
        });
        assertThat(stock(link.store(), "REMERA-S")).isEqualTo(6);
        assertThat(stock(link.store(), "REMERA-M")).isEqualTo(2);
        assertThat(stock(link.store(), "TAZA")).isEqualTo(11);
    }

    @Test
    void aSecondSyncWithNothingChangedWritesNothingAndOneChangedWarehouseRowWritesOnce() {
        String[] skus = {"A-1", "A-2", "A-3", "A-4", "A-5"};
        SandboxAccount account = account(skus);
        Linked link = link(account, Map.of());
        for (String sku : skus) {
            for (long deposito = 1; deposito <= 3; deposito++) {
                account.setStock(deposito, sku, 10 * (int) deposito, 0);
            }
            link.store().addProduct("Producto " + sku, sku, PRICE, 1);
        }
        assertThat(sync(link, "stock").path("written").asInt()).isEqualTo(5);
        int before = writes(link.store()).size();

        JsonNode unchanged = sync(link, "stock");

        assertThat(unchanged.path("changed").asInt()).isZero();
        assertThat(unchanged.path("written").asInt()).isZero();
        assertThat(writes(link.store())).hasSize(before);

        account.setStock(3, "A-4", 5, 0);
        JsonNode oneChanged = sync(link, "stock");

        assertThat(oneChanged.path("written").asInt()).isEqualTo(1);
        assertThat(writes(link.store())).hasSize(before + 1);
        assertThat(stock(link.store(), "A-4")).isEqualTo(10 + 20 + 5);
    }

    @Test
    void unitsSoldButNotYetInContabiliumAreLeftOutInEveryStoreSharingTheStockAndNotTwiceOnceInvoiced() {
        SandboxAccount account = account("YERBA-1K");
        account.setStock(1, "YERBA-1K", 10, 0);
        Linked shop = link(account, Map.of("depositoId", 1));
        Linked outlet = link(account, Map.of());
        shop.store().addProduct("Yerba", "YERBA-1K", PRICE, 10);
        outlet.store().addProduct("Yerba", "YERBA-1K", PRICE, 10);
        long orderId = shop.store().newOrder()
                .customer("carla@example.com", "Carla Gómez")
                .additionalField("DNI", "30123456")
                .line("YERBA-1K", 3, 1210.00)
                .status("paid").create();

        assertThat(signedWebhook(shop.store(), "order_paid", orderId).statusCode()).isEqualTo(200);

        // The paid order's webhook syncs just its SKUs, in both stores drawing on the account.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> stock(shop.store(), "YERBA-1K") == 7 && stock(outlet.store(), "YERBA-1K") == 7);
        await().atMost(Duration.ofSeconds(10)).until(() -> "PENDING".equals(status(shop, orderId)));
        assertThat(sync(outlet, "stock").path("written").asInt()).as("a full sync agrees").isZero();

        assertThat(admin("POST", "/api/links/" + shop.linkId() + "/orders/" + orderId + "/invoice", null).statusCode())
                .isIn(200, 202);
        await().atMost(Duration.ofSeconds(20)).until(() -> "INVOICED".equals(status(shop, orderId)));
        assertThat(account.stockActual(1, "YERBA-1K")).isEqualByComparingTo("7");

        JsonNode shopRun = sync(shop, "stock");
        JsonNode outletRun = sync(outlet, "stock");

        assertThat(stock(shop.store(), "YERBA-1K")).isEqualTo(7);
        assertThat(stock(outlet.store(), "YERBA-1K")).isEqualTo(7);
        assertThat(shopRun.path("written").asInt()).isZero();
        assertThat(outletRun.path("written").asInt()).isZero();
    }

    @Test
    void aStockEditInTheStoreIsPutBackWhileOurOwnWritesComingBackAreIgnored() throws Exception {
        SandboxAccount account = account("VASO");
        account.setStock(1, "VASO", 8, 0);
        Linked link = link(account, Map.of());
        SandboxProduct vaso = link.store().addProduct("Vaso", "VASO", PRICE, 0);
        sync(link, "stock");
        long bySku = CONTABILIUM.count(account.email(), Endpoint.STOCK_BY_SKU);

        // Our own write coming back as a webhook: the store shows what we wrote.
        byte[] echo = mapper.writeValueAsBytes(Map.of("product", Map.of("id", vaso.id(), "sku", "VASO", "stock", 8,
                "stock_unlimited", false, "variants", List.of())));
        assertThat(webhook("product_stock_updated", link.store().code(), echo, link.store().sign(echo)).statusCode())
                .isEqualTo(200);
        // A merchant's edit in the store: the connector puts Contabilium's number back.
        link.store().setLoose(false);
        java.net.http.HttpResponse<String> edited = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(JUMPSELLER.baseUrl() + "/products/" + vaso.id()
                        + ".json")).header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                (storeLogin(link) + ":" + storeToken(link)).getBytes()))
                        .header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"product\":{\"stock\":50}}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(edited.statusCode()).isEqualTo(200);
        byte[] edit = mapper.writeValueAsBytes(Map.of("product", Map.of("id", vaso.id(), "sku", "VASO", "stock", 50,
                "stock_unlimited", false, "variants", List.of())));
        assertThat(webhook("product_stock_updated", link.store().code(), edit, link.store().sign(edit)).statusCode())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> stock(link.store(), "VASO") == 8);
        assertThat(CONTABILIUM.count(account.email(), Endpoint.STOCK_BY_SKU))
                .as("only the merchant's edit was looked up, not our echo").isEqualTo(bySku + 1);
    }

    private static String storeLogin(Linked link) {
        return "sync-login" + suffix(link);
    }

    private static String storeToken(Linked link) {
        return "sync-token" + suffix(link);
    }

    private static String suffix(Linked link) {
        String code = link.store().code();
        return code.substring("sync".length(), code.indexOf('-'));
    }
}
