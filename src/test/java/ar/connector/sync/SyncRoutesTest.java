package ar.connector.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.invoicing.OrderMessage;
import ar.connector.invoicing.RunPage;
import ar.connector.sandbox.contabilium.SandboxAccount;

/**
 * The split, aggregate and multicast routes step by step, in Camel's own test style: the routes are
 * advised by node id with mock endpoints beside their steps (the flows still run against the
 * sandboxes), and each mock checks how many messages reached that step and what they carried.
 */
@CamelSpringBootTest
@UseAdviceWith
// A context of its own (the property makes its cache key differ), closed after the class: the shared
// context of the other tests must never see these advised routes.
@TestPropertySource(properties = "connector.test.advised-routes=true")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SyncRoutesTest extends SyncTestSupport {

    private static boolean advised;

    private static final BigDecimal PRICE = new BigDecimal("1210.00");

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    SyncRuns runs;

    @EndpointInject("mock:stock-reads")
    MockEndpoint stockReads;
    @EndpointInject("mock:stock-stores")
    MockEndpoint stockStores;
    @EndpointInject("mock:store-writes")
    MockEndpoint storeWrites;
    @EndpointInject("mock:store-reports")
    MockEndpoint storeReports;
    @EndpointInject("mock:price-lists")
    MockEndpoint priceLists;
    @EndpointInject("mock:price-stores")
    MockEndpoint priceStores;
    @EndpointInject("mock:price-summary")
    MockEndpoint priceSummary;
    @EndpointInject("mock:run-orders")
    MockEndpoint runOrders;
    @EndpointInject("mock:run-next-pages")
    MockEndpoint runNextPages;

    @BeforeEach
    void adviseOnce() throws Exception {
        if (advised) {
            return; // this class's context is advised and started once
        }
        advised = true;
        AdviceWith.adviceWith(camel, "stock-sync", route -> {
            route.weaveById("stock-sync-read-stock").after().to("mock:stock-reads");
            route.weaveById("stock-sync-store").before().to("mock:stock-stores");
        });
        AdviceWith.adviceWith(camel, "sync-store", route -> {
            route.weaveById("sync-store-write").after().to("mock:store-writes");
            route.weaveById("sync-store-report").after().to("mock:store-reports");
        });
        AdviceWith.adviceWith(camel, "price-sync", route -> {
            route.weaveById("price-sync-read-list").after().to("mock:price-lists");
            route.weaveById("price-sync-store").before().to("mock:price-stores");
            route.weaveById("price-sync-report").before().to("mock:price-summary");
        });
        AdviceWith.adviceWith(camel, "invoice-run", route -> {
            // The page's orders stop at the mock: this test is about the split, not the invoices.
            route.weaveById("invoice-run-enqueue-order").replace().to("mock:run-orders");
            route.weaveById("invoice-run-queue-next").before().to("mock:run-next-pages");
        });
        camel.start();
    }

    @AfterEach
    void resetMocks() {
        MockEndpoint.resetMocks(camel);
    }

    @Test
    void stockSyncSplitsTheWarehouseReadsSumsThemPerSkuAndSplitsTheChangedItemsToTheWriter() throws Exception {
        SandboxAccount account = account("MATE-01", "BOMBI-02");
        account.setStock(1, "MATE-01", 5, 1);   // sellable 4
        account.setStock(2, "MATE-01", 3, 0);
        account.setStock(3, "MATE-01", 2, 0);
        account.setStock(2, "BOMBI-02", 7, 0);
        Linked summing = link(account, Map.of());
        Linked second = link(account, Map.of("depositoId", 2));
        for (Linked l : List.of(summing, second)) {
            l.store().addProduct("Mate", "MATE-01", PRICE, 0);
            l.store().addProduct("Bombilla", "BOMBI-02", PRICE, 0);
        }
        String sumRun = runs.create(summing.linkId(), SyncKind.STOCK, SyncRuns.Trigger.SCHEDULE);
        String oneRun = runs.create(second.linkId(), SyncKind.STOCK, SyncRuns.Trigger.SCHEDULE);

        stockReads.expectedMessageCount(3);
        stockStores.expectedMessageCount(2);
        storeWrites.expectedMessageCount(4);
        storeReports.expectedMessageCount(2);
        producer.sendBody(SyncScheduler.STOCK_ENQUEUE, new SyncRequest(List.of(sumRun, oneRun), null));

        MockEndpoint.assertIsSatisfied(camel, 60, TimeUnit.SECONDS);
        // One read per warehouse of the account (2 for the second store, all three for the summing one).
        assertThat(stockReads.getExchanges()).extracting(e -> e.getMessage().getBody(ContabiliumStock.Snapshot.class))
                .allSatisfy(read -> assertThat(read.byWarehouse()).hasSize(1))
                .flatExtracting(read -> read.byWarehouse().keySet()).containsExactlyInAnyOrder(1L, 2L, 3L);
        // The reads summed per SKU, then each store's targets.
        assertThat(stockStores.getExchanges()).extracting(e -> e.getMessage().getBody(SyncStores.StoreSync.class))
                .satisfiesExactlyInAnyOrder(
                        store -> {
                            assertThat(store.runId()).isEqualTo(sumRun);
                            assertThat(store.targets()).containsOnlyKeys("MATE-01", "BOMBI-02");
                            assertThat(store.targets().get("MATE-01")).isEqualByComparingTo("9");
                            assertThat(store.targets().get("BOMBI-02")).isEqualByComparingTo("7");
                        },
                        store -> {
                            assertThat(store.runId()).isEqualTo(oneRun);
                            assertThat(store.targets().get("MATE-01")).isEqualByComparingTo("3");
                            assertThat(store.targets().get("BOMBI-02")).isEqualByComparingTo("7");
                        });
        // Two changed items per store, each written once, and each store's writes added up in its report.
        assertThat(storeWrites.getExchanges()).extracting(e -> e.getMessage().getBody(StoreWriter.WriteResult.class))
                .allSatisfy(write -> assertThat(write.refusal()).isNull());
        assertThat(storeReports.getExchanges()).extracting(e -> e.getMessage().getBody(SyncStores.StoreOutcome.class))
                .allSatisfy(outcome -> {
                    assertThat(outcome.done()).isTrue();
                    assertThat(outcome.changed()).isEqualTo(2);
                    assertThat(outcome.written()).isEqualTo(2);
                    assertThat(outcome.refused()).isZero();
                });
        assertThat(stock(summing.store(), "MATE-01")).isEqualTo(9);
        assertThat(stock(second.store(), "MATE-01")).isEqualTo(3);
        assertThat(awaitRun(sumRun).path("written").asInt()).isEqualTo(2);
    }

    @Test
    void priceSyncReadsTheListOnceSendsItToEveryLinkedStoreAndAddsUpTheirWrites() throws Exception {
        SandboxAccount account = account("LIBRO", "LAPIZ");
        account.setListPrice(1, "LIBRO", new BigDecimal("15125.00"), new BigDecimal("21"));
        account.setListPrice(1, "LAPIZ", new BigDecimal("500.00"), new BigDecimal("21"));
        Linked first = link(account, Map.of("listaDePreciosId", 1));
        Linked second = link(account, Map.of("listaDePreciosId", 1));
        for (Linked l : List.of(first, second)) {
            l.store().addProduct("Libro", "LIBRO", new BigDecimal("14000.00"), 1);
            l.store().addProduct("Lápiz", "LAPIZ", new BigDecimal("500.00"), 1);
        }
        String firstRun = runs.create(first.linkId(), SyncKind.PRICE, SyncRuns.Trigger.SCHEDULE);
        String secondRun = runs.create(second.linkId(), SyncKind.PRICE, SyncRuns.Trigger.SCHEDULE);

        priceLists.expectedMessageCount(1);
        priceStores.expectedMessageCount(2);
        storeWrites.expectedMessageCount(2);
        priceSummary.expectedMessageCount(1);
        producer.sendBody(SyncScheduler.PRICE_ENQUEUE, new SyncRequest(List.of(firstRun, secondRun), null));

        MockEndpoint.assertIsSatisfied(camel, 60, TimeUnit.SECONDS);
        List<?> stores = priceLists.getExchanges().get(0).getMessage().getBody(List.class);
        assertThat(stores).hasSize(2);
        assertThat(priceStores.getExchanges()).extracting(e -> e.getMessage().getBody(SyncStores.StoreSync.class))
                .allSatisfy(store -> {
                    assertThat(store.kind()).isEqualTo(SyncKind.PRICE);
                    assertThat(store.targets().get("LIBRO")).isEqualByComparingTo("15125.00");
                })
                .extracting(SyncStores.StoreSync::runId).containsExactlyInAnyOrder(firstRun, secondRun);
        // LAPIZ already shows its list price: one write per store.
        SyncStores.Summary summary = priceSummary.getExchanges().get(0).getMessage().getBody(SyncStores.Summary.class);
        assertThat(summary).isEqualTo(new SyncStores.Summary(2, 0, 2));
    }

    @Test
    void invoiceRunSplitsAPageIntoOneOrderMessageEachAndQueuesTheNextPageOnlyAfterAFullPage() throws Exception {
        Linked link = link(account("REM-01"), Map.of());
        for (int i = 0; i < 101; i++) {
            link.store().newOrder().customer("page" + i + "@example.com", "Comprador " + i)
                    .line("REM-01", 1, 1210.00).status("paid").create();
        }
        LocalDate today = LocalDate.now(ZoneId.of("America/Argentina/Buenos_Aires"));

        runOrders.expectedMessageCount(101);
        runNextPages.expectedMessageCount(1);
        JsonNode started = json(admin("POST", "/api/links/" + link.linkId() + "/invoice-runs",
                Map.of("from", today.minusDays(1).toString(), "to", today.toString())).body());
        String runId = started.path("runId").asText();

        MockEndpoint.assertIsSatisfied(camel, 60, TimeUnit.SECONDS);
        assertThat(runOrders.getExchanges()).extracting(e -> e.getMessage().getBody(OrderMessage.class))
                .allSatisfy(message -> {
                    assertThat(message.runId()).isEqualTo(runId);
                    assertThat(message.source()).isEqualTo(OrderMessage.BULK);
                    assertThat(message.force()).isTrue();
                    assertThat(message.order()).as("read when its turn comes, not from the page").isNull();
                })
                .extracting(OrderMessage::orderId).doesNotHaveDuplicates();
        assertThat(runNextPages.getExchanges()).extracting(e -> e.getMessage().getBody(RunPage.class))
                .containsExactly(new RunPage(runId, 2));
        // The second page (one order) is the last: no third page.
        runNextPages.assertIsSatisfied(Duration.ofSeconds(2).toMillis());
        JsonNode run = json(admin("GET", "/api/invoice-runs/" + runId, null).body());
        assertThat(run.path("total").asInt()).isEqualTo(101);
    }
}
