package ar.connector.sync;

import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.invoicing.SandboxedConnectorTest;
import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.sandbox.jumpseller.RecordedRequest;
import ar.connector.sandbox.jumpseller.SandboxStore;

/** Accounts with several warehouses and price lists, stores linked to them, and sync runs through the API. */
abstract class SyncTestSupport extends SandboxedConnectorTest {

    private static final AtomicInteger SEQ = new AtomicInteger();

    /** A Contabilium account with warehouses 1 (Principal), 2 and 3, price lists 1 and 2, and these products. */
    static SandboxAccount account(String... skus) {
        int n = SEQ.incrementAndGet();
        String email = "sync" + n + "-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        SandboxAccount account = CONTABILIUM.addAccount(email, "sync-key-" + n, "RI", "Stock " + n + " SA", "30712345674");
        account.seedDefaults();
        account.addDeposito(2, "Depósito 2");
        account.addDeposito(3, "Depósito 3");
        account.addPriceList(1, "Minorista");
        account.addPriceList(2, "Mayorista");
        for (String sku : skus) {
            account.addConcepto(sku, "Producto " + sku, new BigDecimal("1210.00"), new BigDecimal("21"));
        }
        return account;
    }

    /** A fresh store linked to {@code account} with these settings. */
    Linked link(SandboxAccount account, Map<String, Object> settings) {
        int n = SEQ.incrementAndGet();
        String code = "sync" + n + "-" + UUID.randomUUID().toString().substring(0, 6);
        SandboxStore store = JUMPSELLER.addStore(code, "Tienda " + code, "sync-login" + n, "sync-token" + n, "sync-hooks" + n);
        Map<String, Object> all = new HashMap<>(Map.of("puntoDeVentaId", 1, "condicionDeVenta", "Contado",
                "emailReceipts", false, "autoInvoice", false));
        all.putAll(settings);
        HttpResponse<String> created = admin("POST", "/api/links", Map.of("name", "Tienda " + code,
                "contabilium", Map.of("clientId", account.email(), "clientSecret", account.apiKey()),
                "jumpseller", Map.of("storeCode", code, "login", "sync-login" + n, "authToken", "sync-token" + n),
                "settings", all));
        if (created.statusCode() != 201) {
            throw new IllegalStateException("link not created: " + created.statusCode() + " " + created.body());
        }
        return new Linked(json(created.body()).get("id").asLong(), store, account);
    }

    /** Runs a sync through the admin API and answers its finished report. */
    JsonNode sync(Linked link, String kind) {
        return sync(link, kind, Duration.ofSeconds(60));
    }

    JsonNode sync(Linked link, String kind, Duration atMost) {
        HttpResponse<String> started = admin("POST", "/api/links/" + link.linkId() + "/" + kind + "-sync", null);
        if (started.statusCode() != 202) {
            throw new IllegalStateException(kind + " sync not started: " + started.statusCode() + " " + started.body());
        }
        String runId = json(started.body()).get("runId").asText();
        return awaitRun(runId, atMost);
    }

    JsonNode awaitRun(String runId) {
        return awaitRun(runId, Duration.ofSeconds(60));
    }

    JsonNode awaitRun(String runId, Duration atMost) {
        JsonNode[] run = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            run[0] = json(admin("GET", "/api/sync-runs/" + runId, null).body());
            return Set.of("DONE", "FAILED").contains(run[0].path("state").asText());
        });
        return run[0];
    }

    /** Stock and price writes the store received. */
    static List<RecordedRequest> writes(SandboxStore store) {
        return JUMPSELLER.requests().stream()
                .filter(r -> store.code().equals(r.storeCode()))
                .filter(r -> r.is("PUT", "/products/\\d+(/variants/\\d+)?\\.json"))
                .toList();
    }

    static int stock(SandboxStore store, String sku) {
        return store.findBySku(sku).map(p -> p.hasVariants() ? p.variantBySku(sku).orElseThrow().stock() : p.stock())
                .orElseThrow();
    }
}
