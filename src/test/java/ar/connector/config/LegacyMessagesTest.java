package ar.connector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.invoicing.SandboxedConnectorTest;
import ar.connector.receipts.ReceiptLedger;
import ar.connector.support.TestMail;
import ar.connector.sync.SyncKind;
import ar.connector.sync.SyncRuns;

/**
 * A broker's backlog survives the upgrade to typed JSON messages: text messages exactly as the
 * previous version queued them are still read and processed.
 */
class LegacyMessagesTest extends SandboxedConnectorTest {

    @Autowired
    JmsTemplate jms;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SyncRuns runs;

    @Autowired
    ReceiptLedger ledger;

    @Test
    void aRunPageQueuedAsRunIdColonPageIsEnumeratedAndItsOrdersInvoiced() {
        Linked link = newLink("RI", Map.of(), "REM-01");
        long first = link.store().newOrder().customer("legacy1@example.com", "Ana Legado").additionalField("DNI", "30111222")
                .line("REM-01", 1, 1210.00).status("paid").create();
        long second = link.store().newOrder().customer("legacy2@example.com", "Beto Legado").additionalField("DNI", "30111333")
                .line("REM-01", 1, 1210.00).status("paid").create();
        String runId = UUID.randomUUID().toString();
        jdbc.update("insert into invoice_run (id, link_id, order_ids, state, created_at) values (?, ?, ?, 'RUNNING', ?)",
                runId, link.linkId(), first + "," + second, Timestamp.from(Instant.now()));

        jms.convertAndSend("connector.invoice-runs", runId + ":1");

        awaitStatus(link, first, "INVOICED");
        awaitStatus(link, second, "INVOICED");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "DONE".equals(json(admin("GET", "/api/invoice-runs/" + runId, null).body()).path("state").asText()));
        assertThat(link.account().issuedInvoices()).hasSize(2);
    }

    @Test
    void stockAndPriceRunsQueuedAsCommaJoinedRunIdsAreDone() {
        Linked link = newLink("RI", Map.of(), "MATE-01");
        link.account().addPriceList(1, "Minorista");
        link.account().setListPrice(1, "MATE-01", new BigDecimal("2420.00"), new BigDecimal("21"));
        assertThat(admin("PATCH", "/api/links/" + link.linkId(), Map.of("settings", Map.of("listaDePreciosId", 1)))
                .statusCode()).isEqualTo(200);
        link.account().setStock(1, "MATE-01", 6, 0);
        link.store().addProduct("Mate", "MATE-01", new BigDecimal("1210.00"), 0);
        String stockRun = runs.create(link.linkId(), SyncKind.STOCK, SyncRuns.Trigger.SCHEDULE);
        String priceRun = runs.create(link.linkId(), SyncKind.PRICE, SyncRuns.Trigger.SCHEDULE);

        jms.convertAndSend("connector.stock-sync", stockRun + "," + stockRun);
        jms.convertAndSend("connector.price-sync", priceRun);

        for (String runId : List.of(stockRun, priceRun)) {
            JsonNode[] run = new JsonNode[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                run[0] = json(admin("GET", "/api/sync-runs/" + runId, null).body());
                return Set.of("DONE", "FAILED").contains(run[0].path("state").asText());
            });
            assertThat(run[0].path("state").asText()).as(run[0].toString()).isEqualTo("DONE");
            assertThat(run[0].path("written").asInt()).isEqualTo(1);
        }
        assertThat(link.store().findBySku("MATE-01").orElseThrow().stock()).isEqualTo(6);
        assertThat(link.store().findBySku("MATE-01").orElseThrow().price()).isEqualByComparingTo("2420.00");
    }

    @Test
    void aReceiptJobQueuedAsThePreviousVersionWroteItIsMailed() {
        Linked link = newLink("RI", Map.of("emailReceipts", true), "REM-01");
        String buyer = "legado-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        long orderId = link.store().newOrder().customer(buyer, "Carla Legado").additionalField("DNI", "30111444")
                .line("REM-01", 1, 1210.00).status("paid").create();
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestMail.to(buyer).size() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> orderRow(link, orderId).at("/receipt/count").asInt() == 1);
        long recordId = jdbc.queryForObject("select id from order_record where link_id = ? and order_id = ?",
                Long.class, link.linkId(), orderId);
        int number = ledger.queueNext(recordId);
        assertThat(number).isEqualTo(2);

        jms.convertAndSend("connector.receipts",
                "{\"orderRecordId\":" + recordId + ",\"number\":" + number + ",\"manual\":true}");

        await().atMost(Duration.ofSeconds(30)).until(() -> TestMail.to(buyer).size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> orderRow(link, orderId).at("/receipt/count").asInt() == 2);
    }
}
