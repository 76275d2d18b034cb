package ar.connector.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.RecordedCall;
import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.sandbox.jumpseller.RecordedRequest;

/**
 * A full stock sync of 3,000 SKUs in 3 warehouses at both APIs' limits, scaled tenfold on both
 * sides (sandbox and connector limiter alike, so the ratios hold): Jumpseller 200/s and 8,000/min,
 * Contabilium 25 calls and 30 inventory calls per second. The connector's limits differ from the
 * shared test context's, hence a context of its own.
 */
@TestPropertySource(properties = {
        "connector.jumpseller.rate-limit.per-second=200",
        "connector.jumpseller.rate-limit.per-minute=8000",
        "connector.contabilium.rate-limit.requests=25",
        "connector.contabilium.rate-limit.inventory-requests=30",
        "connector.contabilium.rate-limit.period=1s",
        "connector.contabilium.rate-limit.block=1s",
        // The round trip is not scaled with the limits: requests under way at once are, by the same factor.
        "connector.sync.concurrency=40"})
class StockSyncPacingTest extends SyncTestSupport {

    private static final int SKUS = 3000;
    private static final int JS_PER_SECOND = 200;
    private static final int CB_INVENTORY_PER_SECOND = 30;

    @BeforeAll
    static void limitTheSandboxes() {
        JUMPSELLER.setRateLimits(JS_PER_SECOND, 8000);
        CONTABILIUM.setLimits(25, Duration.ofSeconds(1), CB_INVENTORY_PER_SECOND, Duration.ofSeconds(1));
    }

    @AfterAll
    static void unlimitTheSandboxes() {
        JUMPSELLER.setRateLimits(0, 0);
        CONTABILIUM.unlimited();
    }

    @Test
    void aFullSyncOfThreeThousandSkusInThreeWarehousesStaysUnderBothLimitsWithoutA429() {
        SandboxAccount account = account();
        Linked link = link(account, Map.of());
        for (int i = 0; i < SKUS; i++) {
            String sku = String.format("SKU-%05d", i);
            account.addConcepto(sku, "Producto " + i, new BigDecimal("1210.00"), new BigDecimal("21"));
            for (long deposito = 1; deposito <= 3; deposito++) {
                account.setStock(deposito, sku, (int) ((i + deposito) % 7) + 1, 0);
            }
            link.store().addProduct("Producto " + i, sku, new BigDecimal("1210.00"), 0);
        }
        int contabilium429Before = CONTABILIUM.rateLimitHits();
        Instant start = Instant.now();

        JsonNode run = sync(link, "stock", Duration.ofMinutes(10));

        assertThat(run.path("state").asText()).isEqualTo("DONE");
        assertThat(run.path("itemsRead").asInt()).isEqualTo(SKUS);
        assertThat(run.path("written").asInt()).isEqualTo(SKUS);
        assertThat(link.store().rateLimitHits()).as("Jumpseller 429s").isZero();
        assertThat(CONTABILIUM.rateLimitHits() - contabilium429Before).as("Contabilium 429s").isZero();
        assertThat(stock(link.store(), "SKU-00042")).isEqualTo(
                (42 + 1) % 7 + 1 + (42 + 2) % 7 + 1 + (42 + 3) % 7 + 1);

        List<Instant> store = JUMPSELLER.requests().stream().filter(r -> link.store().code().equals(r.storeCode()))
                .filter(r -> r.at().isAfter(start)).map(RecordedRequest::at).sorted().toList();
        List<Instant> inventory = CONTABILIUM.calls().stream()
                .filter(c -> account.email().equalsIgnoreCase(c.account()) && c.endpoint() == Endpoint.STOCK_BY_DEPOSITO)
                .map(RecordedCall::at).sorted().toList();
        // 60 full pages per warehouse and the empty 61st that ends it
        assertThat(inventory).hasSize(3 * (SKUS / 50 + 1));
        double jsShare = rate(store) / JS_PER_SECOND;
        double cbShare = rate(inventory) / CB_INVENTORY_PER_SECOND;
        System.out.printf("Stock sync of %d SKUs x 3 warehouses in %d ms: Jumpseller %d requests at %.1f/s = %.1f %% "
                + "of %d/s; Contabilium inventory %d calls at %.1f/s = %.1f %% of %d/s; 429s: 0%n", SKUS,
                run.path("durationMs").asLong(), store.size(), rate(store), 100 * jsShare, JS_PER_SECOND,
                inventory.size(), rate(inventory), 100 * cbShare, CB_INVENTORY_PER_SECOND);
        // The limits hold in every window (an average over the whole run can exceed 100 % by a hair of
        // clock jitter between windows, so the windows themselves are what is checked).
        assertThat(link.store().maxPerSecondObserved()).as("Jumpseller requests in any second")
                .isLessThanOrEqualTo(JS_PER_SECOND);
        assertThat(maxInAnyWindow(inventory, Duration.ofSeconds(1))).as("inventory calls in any 1 s window")
                .isLessThanOrEqualTo(CB_INVENTORY_PER_SECOND);
    }

    /** The most calls that arrived within any window of the given length. */
    private static int maxInAnyWindow(List<Instant> at, Duration window) {
        int max = 0;
        for (int first = 0, last = 0; last < at.size(); last++) {
            while (!at.get(first).plus(window).isAfter(at.get(last))) {
                first++;
            }
            max = Math.max(max, last - first + 1);
        }
        return max;
    }

    /** Requests per second between the first and the last of them. */
    private static double rate(List<Instant> at) {
        double seconds = Duration.between(at.get(0), at.get(at.size() - 1)).toNanos() / 1e9;
        return (at.size() - 1) / seconds;
    }
}
