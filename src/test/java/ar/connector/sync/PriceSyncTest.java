package ar.connector.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.sandbox.jumpseller.RecordedRequest;
import ar.connector.sandbox.jumpseller.SandboxProduct;
import ar.connector.sandbox.jumpseller.SandboxStore;
import ar.connector.sandbox.jumpseller.VariantSpec;

/** A Contabilium price list feeding every store linked to it. */
class PriceSyncTest extends SyncTestSupport {

    @Autowired
    SyncRuns runs;

    @Autowired
    ProducerTemplate producer;

    @Test
    void onePriceListFeedsBothStoresLinkedToItAndUnchangedPricesAreNotWritten() {
        SandboxAccount account = account("LIBRO", "LAPIZ", "AGENDA", "FUNDA-A", "FUNDA-B");
        account.setListPrice(1, "LIBRO", new BigDecimal("15125.00"), new BigDecimal("10.5"));
        account.setListPrice(1, "LAPIZ", new BigDecimal("500.00"), new BigDecimal("21"));
        account.setListPrice(1, "AGENDA", new BigDecimal("9000.00"), new BigDecimal("21"));
        account.setListPrice(1, "FUNDA-A", new BigDecimal("2420.00"), new BigDecimal("21"));
        account.setListPrice(1, "FUNDA-B", new BigDecimal("2000.00"), new BigDecimal("21"));
        account.setListPrice(2, "LIBRO", new BigDecimal("1.00"), new BigDecimal("21"));
        Linked first = link(account, Map.of("listaDePreciosId", 1));
        Linked second = link(account, Map.of("listaDePreciosId", 1));
        for (Linked l : List.of(first, second)) {
            l.store().addProduct("Libro", "LIBRO", new BigDecimal("14000.00"), 1);
            l.store().addProduct("Lápiz", "LAPIZ", new BigDecimal("500.00"), 1);
            // A "was" price at or below the new price would be refused by Jumpseller: it is cleared.
            l.store().addProduct("Agenda", "AGENDA", new BigDecimal("8000.00"), 1).compareAtPrice(new BigDecimal("8500"));
            l.store().addProductWithVariants("Funda", List.of(new VariantSpec("FUNDA-A", new BigDecimal("2000.00"), 1),
                    new VariantSpec("FUNDA-B", new BigDecimal("2000.00"), 1)));
        }
        String firstRun = runs.create(first.linkId(), SyncKind.PRICE, SyncRuns.Trigger.SCHEDULE);
        String secondRun = runs.create(second.linkId(), SyncKind.PRICE, SyncRuns.Trigger.SCHEDULE);

        producer.sendBody(SyncScheduler.PRICE_ENQUEUE, new SyncRequest(List.of(firstRun, secondRun), null));
        awaitRun(firstRun);
        awaitRun(secondRun);

        assertThat(CONTABILIUM.count(account.email(), Endpoint.LISTA_GET)).as("the list is read once for both").isEqualTo(1);
        for (Linked l : List.of(first, second)) {
            SandboxStore store = l.store();
            assertThat(price(store, "LIBRO")).isEqualByComparingTo("15125.00");
            assertThat(price(store, "LAPIZ")).isEqualByComparingTo("500.00");
            assertThat(price(store, "AGENDA")).isEqualByComparingTo("9000.00");
            assertThat(store.findBySku("AGENDA").orElseThrow().compareAtPrice()).isNull();
            assertThat(price(store, "FUNDA-A")).isEqualByComparingTo("2420.00");
            assertThat(price(store, "FUNDA-B")).isEqualByComparingTo("2000.00");
            List<RecordedRequest> writes = writes(store);
            assertThat(writes).hasSize(3).allSatisfy(w -> assertThat(w.status()).isEqualTo(200));
            assertThat(writes).extracting(RecordedRequest::apiPath).anySatisfy(p -> assertThat(p).contains("/variants/"));
        }
        for (String runId : List.of(firstRun, secondRun)) {
            JsonNode run = awaitRun(runId);
            assertThat(run.path("state").asText()).isEqualTo("DONE");
            assertThat(run.path("itemsRead").asInt()).isEqualTo(5);
            assertThat(run.path("changed").asInt()).isEqualTo(3);
            assertThat(run.path("written").asInt()).isEqualTo(3);
        }

        JsonNode again = sync(first, "price");

        assertThat(again.path("written").asInt()).isZero();
        assertThat(writes(first.store())).hasSize(3);
        JsonNode history = json(admin("GET", "/api/links/" + first.linkId() + "/sync-runs", null).body());
        assertThat(history.get(0).path("runId").asText()).isEqualTo(again.path("runId").asText());
        assertThat(history).hasSize(2);
    }

    @Test
    void aLinkWithoutAPriceListHasNoPriceSync() {
        Linked link = link(account("X"), Map.of());
        assertThat(admin("POST", "/api/links/" + link.linkId() + "/price-sync", null).statusCode()).isEqualTo(409);
        assertThat(admin("POST", "/api/links/999999/stock-sync", null).statusCode()).isEqualTo(404);
    }

    private static BigDecimal price(SandboxStore store, String sku) {
        SandboxProduct p = store.findBySku(sku).orElseThrow();
        return p.hasVariants() ? p.variantBySku(sku).orElseThrow().price() : p.price();
    }
}
